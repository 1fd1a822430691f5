package finpulse;

import static finpulse.ResourceContractTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import resources.FinPulse;
import support.ServiceUnderTest;

/**
 * The analytics inside the business flows, through the API: VaR computed from portfolio_history and
 * stored as a risk-metrics row, surveillance of orders and trade executions, identity scoring of
 * customers, and the fraud fallback rule (the fraud model is held to its fallback here by an
 * unreachable minimum history).
 */
@Tag("integration")
class AnalyticsApiTest {
  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(
          new JsonObject()
              .put(ConfigKeys.FINPULSE_FRAUD_MIN_HISTORY, 1_000_000_000)
              .put(ConfigKeys.FINPULSE_SURVEILLANCE_THRESHOLD, 3.0)
              .put(ConfigKeys.FINPULSE_SURVEILLANCE_MIN_HISTORY, 5));

  private static Samples samples;

  @BeforeAll
  static void start() {
    samples = new Samples(service);
  }

  /**
   * A portfolio (with its account and customer) whose history holds these daily values, the last
   * one today.
   */
  private static String portfolioWithHistory(double... values) {
    String portfolioId = samples.created(FinPulse.named(FinPulse.PORTFOLIOS));
    history(portfolioId, values);
    return portfolioId;
  }

  private static void history(String portfolioId, double... values) {
    OffsetDateTime today =
        Instant.now().truncatedTo(ChronoUnit.DAYS).atOffset(ZoneOffset.UTC).plusHours(16);
    for (int i = 0; i < values.length; i++) {
      service.sql(
          "INSERT INTO portfolio_history (portfolio_id, ts, total_value, currency) VALUES ($1, $2,"
              + " $3, 'USD')",
          portfolioId,
          today.minusDays(values.length - 1 - i),
          BigDecimal.valueOf(values[i]));
    }
  }

  private static JsonObject varRequest(String portfolioId, String method) {
    return new JsonObject()
        .put("portfolio_id", portfolioId)
        .put("days", 30)
        .put("confidence", 0.95)
        .put("method", method);
  }

  @Test
  void varIsComputedFromTheHistoryAndStoredAsARiskMetric() {
    String portfolioId = portfolioWithHistory(100, 102, 99.96, 101.9592, 100.939608);
    // an intraday valuation before the day's last one does not count: one value per day, the day's
    // last
    service.sql(
        "INSERT INTO portfolio_history (portfolio_id, ts, total_value, currency) VALUES ($1, $2, 1,"
            + " 'USD')",
        portfolioId,
        Instant.now().truncatedTo(ChronoUnit.DAYS).atOffset(ZoneOffset.UTC).plusHours(1));

    HttpResponse<Buffer> parametric =
        samples.post("/api/v1/risk-metrics/compute", varRequest(portfolioId, "parametric"));
    assertEquals(201, parametric.statusCode(), parametric::bodyAsString);
    JsonObject metric = parametric.bodyAsJsonObject();
    assertEquals(
        3.1704652634, Double.parseDouble(metric.getString("value")), 1e-8); // see AnalyticsTest
    assertEquals("var", metric.getString("metric_type"));
    assertEquals("parametric", metric.getString("method"));
    assertEquals("USD", metric.getString("currency"));
    assertEquals(4, metric.getInteger("observations"));
    Row stored =
        service
            .sql(
                "SELECT value::text, portfolio_id, days FROM risk_metrics WHERE risk_metric_id ="
                    + " $1",
                metric.getString("risk_metric_id"))
            .iterator()
            .next();
    assertEquals(
        0,
        new BigDecimal(stored.getString(0)).compareTo(new BigDecimal(metric.getString("value"))));
    assertEquals(portfolioId, stored.getString(1));
    assertEquals(30L, stored.getLong(2));

    HttpResponse<Buffer> historical =
        samples.post("/api/v1/risk-metrics/compute", varRequest(portfolioId, "historical"));
    assertEquals(201, historical.statusCode(), historical::bodyAsString);
    assertEquals(
        0,
        new BigDecimal("2.01879216")
            .compareTo(new BigDecimal(historical.bodyAsJsonObject().getString("value"))));
    JsonObject listed =
        service.get("/api/v1/risk-metrics?portfolio_id=" + portfolioId).bodyAsJsonObject();
    assertEquals(2, listed.getLong("total"));
  }

  @Test
  void varNeedsHistoryAKnownPortfolioAndValidParameters() {
    String shortHistory = portfolioWithHistory(100, 101);
    assertError(
        samples.post("/api/v1/risk-metrics/compute", varRequest(shortHistory, "parametric")),
        422,
        "INSUFFICIENT_HISTORY",
        "portfolio_id");
    String unknown = Samples.unique("no-portfolio");
    history(unknown, 100, 101, 99, 102);
    assertError(
        samples.post("/api/v1/risk-metrics/compute", varRequest(unknown, "historical")),
        422,
        "REFERENCE_NOT_FOUND",
        "portfolio_id");
    assertError(
        samples.post("/api/v1/risk-metrics/compute", varRequest(shortHistory, "monte-carlo")),
        400,
        "INVALID_FIELD",
        "method");
    assertError(
        samples.post(
            "/api/v1/risk-metrics/compute",
            varRequest(shortHistory, "historical").put("confidence", 1.5)),
        400,
        "INVALID_FIELD",
        "confidence");
    assertError(
        samples.post(
            "/api/v1/risk-metrics/compute",
            varRequest(shortHistory, "historical").put("days", "30")),
        400,
        "INVALID_FIELD",
        "days");
    assertError(
        samples.post("/api/v1/risk-metrics/compute", new JsonObject()),
        400,
        "MISSING_FIELD",
        "portfolio_id");
    assertEquals(
        0L,
        service
            .sql("SELECT count(*) FROM risk_metrics WHERE portfolio_id = $1", shortHistory)
            .iterator()
            .next()
            .getLong(0));
  }

  @Test
  void computeBatchAnswersEachPortfolioInOrder() {
    String one = portfolioWithHistory(100, 102, 99.96, 101.9592, 100.939608);
    String two = portfolioWithHistory(200, 210, 189);
    String tooShort = portfolioWithHistory(50);
    HttpResponse<Buffer> response =
        samples.post(
            "/api/v1/risk-metrics/compute-batch",
            new JsonObject()
                .put("portfolio_ids", new JsonArray().add(one).add(two).add(tooShort))
                .put("method", "historical")
                .put("confidence", 0.95));
    assertEquals(200, response.statusCode(), response::bodyAsString);
    JsonArray results = response.bodyAsJsonObject().getJsonArray("results");
    assertEquals(3, results.size());
    assertEquals(
        0,
        new BigDecimal("2.01879216")
            .compareTo(new BigDecimal(results.getJsonObject(0).getString("value"))));
    // returns +5 %, −10 %: the worst, −10 %, of 189
    assertEquals(
        0,
        new BigDecimal("18.9")
            .compareTo(new BigDecimal(results.getJsonObject(1).getString("value"))));
    assertEquals("INSUFFICIENT_HISTORY", results.getJsonObject(2).getString("error"));
    assertEquals(tooShort, results.getJsonObject(2).getString("portfolio_id"));
    assertEquals(
        1L,
        service
            .sql("SELECT count(*) FROM risk_metrics WHERE portfolio_id = $1", two)
            .iterator()
            .next()
            .getLong(0));
    assertError(
        samples.post(
            "/api/v1/risk-metrics/compute-batch", new JsonObject().put("portfolio_ids", "p")),
        400,
        "INVALID_FIELD",
        "portfolio_ids");
    assertError(
        samples.post(
            "/api/v1/risk-metrics/compute-batch",
            new JsonObject().put("portfolio_ids", new JsonArray().add(one)).put("method", "guess")),
        400,
        "INVALID_FIELD",
        "method");
  }

  @Test
  void ordersAndTradeExecutionsAreScoredAgainstTheInstrumentsRecentNotionals() {
    for (String name : new String[] {FinPulse.ORDERS, FinPulse.TRADE_EXECUTIONS}) {
      JsonObject template = samples.body(FinPulse.named(name));
      String id = FinPulse.named(name).id();
      String[] prices = {
        "100", "102", "98", "101", "99"
      }; // notionals 1000, 1020, 980, 1010, 990: mean 1000, s 15.81
      for (String price : prices) {
        assertEquals(
            201, samples.post("/api/v1/" + name, order(template, id, "10", price)).statusCode());
      }
      JsonObject usual =
          samples.post("/api/v1/" + name, order(template, id, "10", "101")).bodyAsJsonObject();
      assertEquals(false, usual.getBoolean("surveillance_alert"), usual::encode);
      JsonObject unusual =
          samples.post("/api/v1/" + name, order(template, id, "10", "110")).bodyAsJsonObject();
      assertEquals(true, unusual.getBoolean("surveillance_alert"), unusual::encode);
      double z = Double.parseDouble(unusual.getString("surveillance_score"));
      assertTrue(z > 3, unusual::encode);
      Row stored =
          service
              .sql(
                  "SELECT surveillance_alert, surveillance_score::text FROM "
                      + FinPulse.named(name).table()
                      + " WHERE "
                      + id
                      + " = $1",
                  unusual.getString(id))
              .iterator()
              .next();
      assertEquals(true, stored.getBoolean(0));
      assertEquals(
          0,
          new BigDecimal(stored.getString(1))
              .compareTo(new BigDecimal(unusual.getString("surveillance_score"))));
    }
  }

  /** Another order (or execution) of the template's account and instrument, under a new id. */
  private static JsonObject order(
      JsonObject template, String idColumn, String quantity, String price) {
    return template
        .copy()
        .put(idColumn, Samples.unique("o"))
        .put("quantity", quantity)
        .put("price", price);
  }

  @Test
  void customersAreScoredByTheIdentityRules() {
    JsonObject complete =
        samples
            .body(FinPulse.named(FinPulse.CUSTOMERS))
            .put("name", "Ada Lovelace")
            .put("email", "ada@example.org")
            .put("phone", "+44 20 7946 0958")
            .put("date_of_birth", "1990-12-10")
            .put("national_id", "AB-123456")
            .put("country", "GB");
    JsonObject scored = samples.post("/api/v1/customers", complete).bodyAsJsonObject();
    assertEquals(
        0,
        BigDecimal.ONE.compareTo(new BigDecimal(scored.getString("ai_identity_score"))),
        scored::encode);
    JsonObject sparse = new JsonObject().put("name", "Ada");
    JsonObject low = samples.post("/api/v1/customers", sparse).bodyAsJsonObject();
    assertEquals(
        0,
        BigDecimal.ZERO.compareTo(new BigDecimal(low.getString("ai_identity_score"))),
        low::encode);
    assertEquals(
        "0",
        service
            .sql(
                "SELECT ai_identity_score::text FROM customers WHERE customer_id = $1",
                low.getString("customer_id"))
            .iterator()
            .next()
            .getString(0)
            .replaceAll("\\.0+$", ""));
  }

  @Test
  void paymentsFallBackToAmountThresholdsWithoutEnoughHistory() {
    JsonObject template = samples.body(FinPulse.named(FinPulse.PAYMENTS));
    assertEquals("allow", payment(template, "500").getString("fraud_recommendation"));
    assertEquals("review", payment(template, "25000").getString("fraud_recommendation"));
    JsonObject blocked = payment(template, "150000");
    assertEquals("block", blocked.getString("fraud_recommendation"));
    assertEquals(0, BigDecimal.ONE.compareTo(new BigDecimal(blocked.getString("fraud_score"))));
  }

  private static JsonObject payment(JsonObject template, String amount) {
    HttpResponse<Buffer> response =
        samples.post(
            "/api/v1/payments",
            template.copy().put("payment_id", Samples.unique("pay")).put("amount", amount));
    assertEquals(201, response.statusCode(), response::bodyAsString);
    return response.bodyAsJsonObject();
  }
}
