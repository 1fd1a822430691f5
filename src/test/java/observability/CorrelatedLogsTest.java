package observability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import contract.ConfigKeys;
import contract.Headers;
import contract.Topics;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import logging.Correlation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import support.Await;
import support.KafkaTestClient;
import support.ServiceUnderTest;
import support.TestClock;
import support.Trades;
import verticles.TradePersistenceVerticle;

/**
 * Log lines about a write carry its correlation id as a field (the MDC key correlation_id, from the
 * Vert.x context), whether the write came from Kafka (the producer's header) or HTTP
 * (X-Correlation-ID), and the JSON encoder writes it as a field too.
 */
@Tag("integration")
class CorrelatedLogsTest {
  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(
          new JsonObject().put(ConfigKeys.ROLES, "api,trades,trade-consumer,audit"));

  private static KafkaTestClient kafka;
  private static final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private static Logger persistence;
  private static Level levelBefore;

  @BeforeAll
  static void start() {
    persistence = (Logger) LoggerFactory.getLogger(TradePersistenceVerticle.class);
    levelBefore = persistence.getLevel();
    persistence.setLevel(Level.DEBUG);
    captured.start();
    persistence.addAppender(captured);
    kafka =
        new KafkaTestClient(
            service.vertx, service.config.getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS));
  }

  @AfterAll
  static void close() {
    persistence.detachAppender(captured);
    persistence.setLevel(levelBefore);
    kafka.close();
  }

  @Test
  void aKafkaDrivenWriteLogsTheProducersCorrelationId() {
    String id = "LOGK-" + UUID.randomUUID();
    String correlationId = "producer-" + UUID.randomUUID();
    KafkaProducerRecord<String, String> record =
        KafkaProducerRecord.create(
            Topics.TRADES, id, Trades.json(id, 1, "B1", TestClock.today().plusYears(1)).encode());
    record.addHeader(Headers.CORRELATION_ID, correlationId);
    Await.result(kafka.sendAsync(record));
    ILoggingEvent line = awaitLineAbout(id);
    assertTrue(
        correlationId.equals(line.getMDCPropertyMap().get(Correlation.KEY)),
        "the line carries the producer's id: "
            + line.getMDCPropertyMap()
            + " "
            + line.getFormattedMessage());
    assertTrue(
        !line.getFormattedMessage().contains("corr="),
        "no hand-formatted prefix: " + line.getFormattedMessage());

    JsonEncoder json = new JsonEncoder();
    json.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    json.start();
    String encoded = new String(json.encode(line), StandardCharsets.UTF_8);
    assertTrue(
        new JsonObject(encoded)
            .getJsonObject("mdc")
            .getString(Correlation.KEY)
            .equals(correlationId),
        encoded);
  }

  @Test
  void anHttpWriteLogsTheRequestsCorrelationId() {
    String id = "LOGH-" + UUID.randomUUID();
    String correlationId = "client-" + UUID.randomUUID();
    Await.result(
        service
            .http
            .post("/api/v1/trades")
            .putHeader(Headers.HTTP_CORRELATION_ID, correlationId)
            .sendJsonObject(Trades.json(id, 1, "B1", TestClock.today().plusYears(1))));
    ILoggingEvent line = awaitLineAbout(id);
    assertTrue(
        correlationId.equals(line.getMDCPropertyMap().get(Correlation.KEY)),
        line.getMDCPropertyMap().toString());
  }

  private static ILoggingEvent awaitLineAbout(String tradeId) {
    return Await.until(
            "a log line about " + tradeId,
            Duration.ofSeconds(30),
            () -> io.vertx.core.Future.succeededFuture(find(tradeId)),
            Optional::isPresent)
        .orElseThrow();
  }

  private static Optional<ILoggingEvent> find(String tradeId) {
    synchronized (captured) {
      List<ILoggingEvent> lines = List.copyOf(captured.list);
      return lines.stream().filter(e -> e.getFormattedMessage().contains(tradeId)).findFirst();
    }
  }
}
