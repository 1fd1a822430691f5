package verticles;

import contract.Headers;
import domain.Violation;
import domain.ViolationException;
import failures.Failures;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import messaging.Backoff;
import messaging.DeadLetters;
import messaging.KafkaHeaders;
import messaging.OrderedConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.ConsumerSettings;

/**
 * The one Kafka-to-bus consumer: it polls its topics ({@link OrderedConsumer}, batch mode) and
 * hands each partition's polled run of valid records to one bus address in one request, applied in
 * order as one unit.
 *
 * <ul>
 *   <li>a record that does not parse is poison: dead-lettered, and the partition moves on;
 *   <li>a run is retried whole while its handler is unavailable ({@link Backoff});
 *   <li>the items the handler refuses are dead-lettered with their refusals;
 *   <li>a run the handler fails on for good (a bug) is sent again one record at a time, so only the
 *       record it fails on is dead-lettered, with reason {@code bug}.
 * </ul>
 *
 * A subclass says what it consumes and how a run travels on the bus.
 *
 * @param <P> a record, parsed into what the bus request carries
 */
public abstract class KafkaToBusVerticle<P> extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaToBusVerticle.class);

  /**
   * What one consumer reads and where it sends it.
   *
   * @param name what its records are, for the logs
   * @param kafka the consumer's Kafka config, group id included
   */
  protected record Subscription(
      String name,
      Map<String, String> kafka,
      Set<String> topics,
      String address,
      ConsumerSettings settings) {}

  private Subscription subscription;
  private KafkaProducer<String, String> producer;
  private DeadLetters deadLetters;
  private OrderedConsumer consumer;
  private volatile boolean stopped;

  /** Read once at start, from {@link #config()}. */
  protected abstract Subscription subscription();

  /** The record parsed for the bus; throws {@link ViolationException} for a poison record. */
  protected abstract P parse(KafkaConsumerRecord<String, String> record);

  /** The bus request for a run of parsed records, in order, with each record's correlation id. */
  protected abstract Object request(List<P> items, List<String> correlationIds);

  /** Each item's refusal in the handler's reply, in order; null where the item was applied. */
  protected abstract List<Violation> refusals(Object reply);

  /** Called before a poison record is dead-lettered: a subclass may audit it. */
  protected void poisoned(
      KafkaConsumerRecord<String, String> record, Violation violation, String correlationId) {}

  @Override
  public final Future<?> start() {
    subscription = subscription();
    return DeadLetters.sharedProducer(vertx, config()).compose(this::consume);
  }

  private Future<OrderedConsumer> consume(KafkaProducer<String, String> deadLetterProducer) {
    producer = deadLetterProducer;
    deadLetters = new DeadLetters(vertx, producer, () -> stopped);
    return OrderedConsumer.startBatched(
            vertx,
            subscription.kafka(),
            subscription.topics(),
            this::handleRun,
            deadLetters::crashed,
            OrderedConsumer.Settings.of(subscription.settings()))
        .onSuccess(started -> consumer = started);
  }

  @Override
  public final Future<?> stop() {
    stopped = true;
    return consumer.stop(subscription.settings().shutdownDrainMs()).eventually(producer::close);
  }

  /**
   * A run of one partition's records: the poison ones dead-lettered, the valid ones sent in one
   * request.
   */
  private Future<Void> handleRun(
      List<KafkaConsumerRecord<String, String>> records, BooleanSupplier revoked) {
    List<Future<Void>> effects = new ArrayList<>();
    Run<P> valid = new Run<>();
    for (KafkaConsumerRecord<String, String> record : records) {
      String correlationId = KafkaHeaders.correlationId(record);
      try {
        valid.add(record, parse(record), correlationId);
      } catch (ViolationException e) {
        effects.add(poison(record, e.violation(), correlationId));
      } catch (RuntimeException bug) { // this record only: the rest of the run goes on
        effects.add(deadLetters.crashed(record, bug));
      }
    }
    if (!valid.records.isEmpty()) {
      effects.add(send(valid, revoked));
    }
    return Future.all(effects).mapEmpty();
  }

  /** Valid records of one partition, in order, with what the request carries for each. */
  private static final class Run<P> {
    final List<KafkaConsumerRecord<String, String>> records = new ArrayList<>();
    final List<P> items = new ArrayList<>();
    final List<String> correlationIds = new ArrayList<>();

    void add(KafkaConsumerRecord<String, String> record, P item, String correlationId) {
      records.add(record);
      items.add(item);
      correlationIds.add(correlationId);
    }

    Run<P> only(int index) {
      Run<P> one = new Run<>();
      one.add(records.get(index), items.get(index), correlationIds.get(index));
      return one;
    }

    String describe(String name) {
      KafkaConsumerRecord<String, String> first = records.get(0);
      return "run of "
          + records.size()
          + " "
          + name
          + " from "
          + first.topic()
          + "-"
          + first.partition()
          + "@"
          + first.offset();
    }
  }

  private Future<Void> send(Run<P> run, BooleanSupplier revoked) {
    String correlationId = run.correlationIds.get(0);
    DeliveryOptions options =
        new DeliveryOptions()
            .addHeader(Headers.CORRELATION_ID, correlationId)
            .setSendTimeout(subscription.settings().requestTimeoutMs());
    return Backoff.retry(
            vertx,
            run.describe(subscription.name()),
            correlationId,
            () ->
                vertx
                    .eventBus()
                    .request(
                        subscription.address(), request(run.items, run.correlationIds), options)
                    .map(Message::body),
            () -> stopped || revoked.getAsBoolean())
        .compose(reply -> deadLetterRefused(run, refusals(reply)))
        .recover(e -> settle(run, revoked, e));
  }

  private Future<Void> deadLetterRefused(Run<P> run, List<Violation> refusals) {
    List<Future<Void>> sends = new ArrayList<>();
    for (int i = 0; i < refusals.size(); i++) {
      if (refusals.get(i) != null) {
        sends.add(deadLetters.send(run.records.get(i), refusals.get(i), run.correlationIds.get(i)));
      }
    }
    return Future.all(sends).mapEmpty();
  }

  /**
   * The run failed for good (an outage only fails it while stopping or revoked: left for
   * redelivery). A run of several is sent again one record at a time, so only the record the
   * handler fails on is dead-lettered.
   */
  private Future<Void> settle(Run<P> run, BooleanSupplier revoked, Throwable failure) {
    Violation reason = Failures.finalReason(failure);
    if (reason == null || stopped || revoked.getAsBoolean()) {
      return Future.failedFuture(failure);
    }
    if (run.records.size() > 1) {
      return oneByOne(run, 0, revoked);
    }
    return deadLetters.send(run.records.get(0), reason, run.correlationIds.get(0));
  }

  private Future<Void> oneByOne(Run<P> run, int next, BooleanSupplier revoked) {
    return next == run.records.size()
        ? Future.succeededFuture()
        : send(run.only(next), revoked).compose(v -> oneByOne(run, next + 1, revoked));
  }

  /** Unusable input: dead-lettered, and the partition moves on. */
  private Future<Void> poison(
      KafkaConsumerRecord<String, String> record, Violation violation, String correlationId) {
    poisoned(record, violation, correlationId);
    return deadLetters.poison(
        "poison " + subscription.name() + " record", record, violation, correlationId);
  }
}
