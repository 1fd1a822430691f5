package support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real producer, topic readers and offset inspection for tests. */
public final class KafkaTestClient implements AutoCloseable {
  private final Vertx vertx;
  private final String bootstrap;
  private final KafkaProducer<String, String> producer;
  private final KafkaAdminClient admin;
  private final List<KafkaConsumer<String, String>> readers = new CopyOnWriteArrayList<>();

  public KafkaTestClient(Vertx vertx, String bootstrap) {
    this.vertx = vertx;
    this.bootstrap = bootstrap;
    this.producer =
        KafkaProducer.create(
            vertx,
            Map.of(
                "bootstrap.servers",
                bootstrap,
                "acks",
                "all",
                "key.serializer",
                "org.apache.kafka.common.serialization.StringSerializer",
                "value.serializer",
                "org.apache.kafka.common.serialization.StringSerializer"));
    this.admin = KafkaAdminClient.create(vertx, Map.of("bootstrap.servers", bootstrap));
  }

  public RecordMetadata send(String topic, String key, String value) {
    return Await.result(producer.send(KafkaProducerRecord.create(topic, key, value)));
  }

  public RecordMetadata send(KafkaProducerRecord<String, String> record) {
    return Await.result(producer.send(record));
  }

  public Future<RecordMetadata> sendAsync(KafkaProducerRecord<String, String> record) {
    return producer.send(record);
  }

  /** A header's value as text, or null when the record has none of that name. */
  public static String header(KafkaConsumerRecord<String, String> record, String name) {
    var header = record.record().headers().lastHeader(name);
    return header == null
        ? null
        : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Collects every record of the topic from the beginning, in a fresh consumer group. */
  public List<KafkaConsumerRecord<String, String>> read(String topic) {
    List<KafkaConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
    KafkaConsumer<String, String> consumer =
        KafkaConsumer.create(
            vertx,
            Map.of(
                "bootstrap.servers",
                bootstrap,
                "group.id",
                "test-reader-" + UUID.randomUUID(),
                "auto.offset.reset",
                "earliest",
                "key.deserializer",
                "org.apache.kafka.common.serialization.StringDeserializer",
                "value.deserializer",
                "org.apache.kafka.common.serialization.StringDeserializer"));
    consumer.handler(records::add);
    Await.result(consumer.subscribe(topic));
    readers.add(consumer);
    return records;
  }

  /** The committed offset (next record to read) of a group on one partition; -1 when none. */
  public long committed(String group, String topic, int partition) {
    TopicPartition tp = new TopicPartition(topic, partition);
    Map<TopicPartition, OffsetAndMetadata> offsets =
        Await.result(admin.listConsumerGroupOffsets(group));
    OffsetAndMetadata om = offsets.get(tp);
    return om == null ? -1 : om.getOffset();
  }

  /** Waits until a consumer group has committed up to the end of every partition of the topics. */
  public void awaitCaughtUp(String group, List<String> topics, java.time.Duration timeout) {
    Await.until(
        "group " + group + " caught up on " + topics,
        timeout,
        () -> {
          Map<TopicPartition, OffsetAndMetadata> committed =
              Await.result(admin.listConsumerGroupOffsets(group));
          Map<TopicPartition, Long> ends = endOffsets(topics);
          return ends.entrySet().stream()
              .allMatch(
                  e ->
                      e.getValue() == 0
                          || (committed.containsKey(e.getKey())
                              && committed.get(e.getKey()).getOffset() >= e.getValue()));
        });
  }

  private Map<TopicPartition, Long> endOffsets(List<String> topics) {
    Map<TopicPartition, io.vertx.kafka.admin.OffsetSpec> latest = new java.util.HashMap<>();
    for (var description : Await.result(admin.describeTopics(topics)).values()) {
      description
          .getPartitions()
          .forEach(
              p ->
                  latest.put(
                      new TopicPartition(description.getName(), p.getPartition()),
                      io.vertx.kafka.admin.OffsetSpec.LATEST));
    }
    Map<TopicPartition, Long> ends = new java.util.HashMap<>();
    Await.result(admin.listOffsets(latest)).forEach((tp, info) -> ends.put(tp, info.getOffset()));
    return ends;
  }

  /**
   * Creates the topic unless it exists (a service's consumer may auto-create it at the same
   * moment).
   */
  public void createTopic(String topic, int partitions) {
    Await.result(
        admin
            .createTopics(List.of(new io.vertx.kafka.admin.NewTopic(topic, partitions, (short) 1)))
            .recover(
                e ->
                    e instanceof org.apache.kafka.common.errors.TopicExistsException
                        ? Future.succeededFuture()
                        : Future.failedFuture(e)));
  }

  @Override
  public void close() {
    readers.forEach(KafkaConsumer::close);
    producer.close();
    admin.close();
  }
}
