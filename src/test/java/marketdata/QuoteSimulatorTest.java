package marketdata;

import static marketdata.MarketData.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.ServiceUnderTest;
import support.TestInfra;
import verticles.PriceConsumerVerticle;

/**
 * The quote simulator (seed 003's MockQuoteWriter): random-walk ticks through Kafka into every
 * store, straight to the database while Kafka is down, and off unless this JVM started the broker
 * or it is switched on.
 */
@Tag("integration")
class QuoteSimulatorTest {
  private static final String A = MarketData.symbol("SIMA");
  private static final String B = MarketData.symbol("SIMB");

  @RegisterExtension
  static final MarketData.Running running =
      MarketData.perClass(
          new JsonObject()
              .put(ConfigKeys.QUOTE_SIMULATOR, true)
              .put(ConfigKeys.QUOTE_SIMULATOR_SYMBOLS, A + "," + B)
              .put(ConfigKeys.QUOTE_SIMULATOR_INTERVAL_MS, 100));

  private static final ServiceUnderTest service = running.service;

  private static long ticks(String symbol, String source) {
    return service
        .sql(
            "SELECT count(*) FROM prices_raw WHERE symbol = $1 AND source_topic = $2",
            symbol,
            source)
        .iterator()
        .next()
        .getLong(0);
  }

  @Test
  void simulatedTicksMoveThroughKafkaIntoEveryStore() {
    Await.until(
        "ticks of both symbols through raw_prices",
        WAIT,
        () -> ticks(A, "raw_prices") >= 5 && ticks(B, "raw_prices") >= 5);
    Await.until(
        "the price of A moved",
        WAIT,
        () ->
            service
                    .sql("SELECT count(DISTINCT price) FROM quote_tick WHERE symbol = $1", A)
                    .iterator()
                    .next()
                    .getLong(0)
                >= 2);
    JsonObject quotes =
        service
            .get("/api/v1/quotes?symbols=" + A + "," + B)
            .bodyAsJsonObject()
            .getJsonObject("quotes");
    assertEquals(2, quotes.size(), quotes::encode);
    assertEquals("SIM", quotes.getJsonObject(A).getString("exchange"));
  }

  @Test
  void whileKafkaIsDownTicksAreWrittenStraightToTheDatabase() {
    TestInfra.get().stopKafka();
    try {
      long before = ticks(A, PriceConsumerVerticle.DIRECT_SOURCE);
      Await.until(
          "direct ticks while Kafka is down",
          WAIT,
          () -> ticks(A, PriceConsumerVerticle.DIRECT_SOURCE) >= before + 3);
      long stored = MarketData.count(service, "quote_tick", A);
      Await.until(
          "direct ticks reach quote_tick too",
          WAIT,
          () -> MarketData.count(service, "quote_tick", A) > stored);
    } finally {
      TestInfra.get().startKafka();
    }
    long viaKafka = ticks(A, "raw_prices");
    Await.until(
        "back to Kafka once it is up",
        java.time.Duration.ofSeconds(60),
        () -> ticks(A, "raw_prices") > viaKafka);
  }

  @Test
  void offByDefaultAgainstAConfiguredBroker() {
    ServiceUnderTest apiOnly =
        ServiceUnderTest.start(new JsonObject().put(ConfigKeys.ROLES, "api"));
    try {
      assertEquals(false, apiOnly.config.getBoolean(ConfigKeys.QUOTE_SIMULATOR));
    } finally {
      apiOnly.close();
    }
  }
}
