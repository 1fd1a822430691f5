package finpulse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import resources.FinPulse;
import support.Await;
import support.ServiceUnderTest;

/**
 * The fraud model is trained on the stored payments by the timer: once enough history is stored, a payment far
 * outside it is blocked by the isolation forest. The fallback thresholds are set out of reach, so only the forest
 * can block or review here.
 */
class FraudTrainingTest {
  private static ServiceUnderTest service;
  private static Samples samples;

  @BeforeAll
  static void start() {
    service = ServiceUnderTest.start(new JsonObject()
        .put(ConfigKeys.FINPULSE_FRAUD_MIN_HISTORY, 200)
        .put(ConfigKeys.FINPULSE_FRAUD_TRAINING_SIZE, 400)
        .put(ConfigKeys.FINPULSE_FRAUD_RETRAIN_MS, 300)
        .put(ConfigKeys.FINPULSE_FRAUD_FALLBACK_REVIEW_AMOUNT, 1e15)
        .put(ConfigKeys.FINPULSE_FRAUD_FALLBACK_BLOCK_AMOUNT, 1e16));
    samples = new Samples(service);
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @Test
  void theTimerTrainsAnIsolationForestOnTheStoredPayments() {
    JsonObject template = samples.body(FinPulse.named(FinPulse.PAYMENTS));
    JsonArray history = new JsonArray();
    for (double amount : AnalyticsTest.lognormalAmounts(400, 11)) {
      history.add(template.copy().put("payment_id", Samples.unique("hist")).put("amount", Double.toString(amount)));
    }
    HttpResponse<Buffer> stored = samples.post("/api/v1/payments/batch", history);
    assertEquals(201, stored.statusCode(), stored::bodyAsString);

    JsonObject probe = template.copy().put("amount", "5000000");
    JsonObject blocked = Await.until("the forest trained on the stored payments blocks an amount it never saw",
        Duration.ofSeconds(20), () -> service.http.post("/api/v1/payments")
            .sendJsonObject(probe.copy().put("payment_id", Samples.unique("probe"))).map(HttpResponse::bodyAsJsonObject),
        payment -> "block".equals(payment.getString("fraud_recommendation")));
    assertEquals(1, Double.parseDouble(blocked.getString("fraud_score")), 0.3);

    JsonObject typical = samples.post("/api/v1/payments", template.copy().put("payment_id", Samples.unique("typical"))
        .put("amount", "150")).bodyAsJsonObject();
    assertEquals("allow", typical.getString("fraud_recommendation"), typical::encode);
  }
}
