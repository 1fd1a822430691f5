package app;

import contract.Topics;
import domain.RawEventType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates every topic the service reads or writes, with 3 partitions, on the embedded dev broker,
 * so outside producers and consumers find them at once. Real clusters manage their own topics.
 */
final class DevTopics {
  private static final Logger LOG = LoggerFactory.getLogger(DevTopics.class);
  private static final int PARTITIONS = 3;

  private DevTopics() {}

  static Future<Void> create(Vertx vertx, String bootstrapServers) {
    KafkaAdminClient admin =
        KafkaAdminClient.create(vertx, Map.of("bootstrap.servers", bootstrapServers));
    List<NewTopic> topics =
        names().stream().map(name -> new NewTopic(name, PARTITIONS, (short) 1)).toList();
    return admin
        .listTopics()
        .compose(
            existing ->
                admin.createTopics(
                    topics.stream().filter(t -> !existing.contains(t.getName())).toList()))
        .recover(
            e ->
                e instanceof TopicExistsException
                    ? Future.succeededFuture()
                    : Future.failedFuture(e))
        .onSuccess(
            done -> LOG.info("Dev topics ready ({} partitions each): {}", PARTITIONS, names()))
        .eventually(admin::close);
  }

  static List<String> names() {
    List<String> inputs =
        new ArrayList<>(
            List.of(
                Topics.TRADES,
                Topics.RECORDS_IN,
                Topics.RAW_PRICES,
                Topics.MARKET_QUOTES_ENRICHED));
    inputs.addAll(RawEventType.topics());
    List<String> names = new ArrayList<>(inputs);
    inputs.forEach(topic -> names.add(topic + Topics.DEAD_LETTER_SUFFIX));
    names.addAll(List.of(Topics.NOTIFICATIONS, Topics.ALERTS, Topics.PORTFOLIO_EVENTS));
    for (RawEventType type : RawEventType.values()) {
      names.add(type.completionTopic());
    }
    return List.copyOf(Set.copyOf(names)).stream().sorted().toList();
  }
}
