package finpulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import resources.FinPulse;
import support.Await;
import support.ServiceUnderTest;

/**
 * The fraud model is trained on the stored payments at startup and again by the timer. The fallback
 * thresholds are set out of reach, so only the isolation forest can block here.
 */
@Tag("integration")
class FraudTrainingTest {
  private static final JsonObject CONFIG =
      new JsonObject()
          .put(ConfigKeys.FINPULSE_FRAUD_MIN_HISTORY, 200)
          .put(ConfigKeys.FINPULSE_FRAUD_TRAINING_SIZE, 400)
          .put(ConfigKeys.FINPULSE_FRAUD_FALLBACK_REVIEW_AMOUNT, 1e15)
          .put(ConfigKeys.FINPULSE_FRAUD_FALLBACK_BLOCK_AMOUNT, 1e16);

  @Test
  void theForestIsTrainedOnTheStoredPaymentsAtStartupAndByTheTimer() {
    ServiceUnderTest first =
        ServiceUnderTest.start(CONFIG.copy().put(ConfigKeys.FINPULSE_FRAUD_RETRAIN_MS, 3_600_000));
    JsonObject template;
    try {
      template = new Samples(first).body(FinPulse.named(FinPulse.PAYMENTS));
      store(first, template, AnalyticsTest.lognormalAmounts(400, 11)); // around e^5 = 148
    } finally {
      first.close();
    }

    ServiceUnderTest service =
        ServiceUnderTest.start(CONFIG.copy().put(ConfigKeys.FINPULSE_FRAUD_RETRAIN_MS, 100));
    try {
      // trained at startup, before the first write: a typical amount passes, one far outside is
      // blocked
      assertEquals("allow", recommendation(payment(service, template, "150")));
      JsonObject outlier = payment(service, template, "5000000");
      assertEquals("block", recommendation(outlier), outlier::encode);
      assertTrue(Double.parseDouble(outlier.getString("fraud_score")) >= 0.7, outlier::encode);

      // the payments move to another range; the timer retrains, and the old normal is now the
      // outlier
      double[] large = AnalyticsTest.lognormalAmounts(400, 12);
      for (int i = 0; i < large.length; i++) {
        large[i] = Math.round(large[i] * 20_000);
      }
      store(service, template, large); // around 3 million
      // Each probe is a stored payment of the old normal: probing at most once a second keeps them
      // a small
      // share of the newest 400, so they cannot make 150 look normal again before a retraining is
      // seen.
      long[] lastProbe = {0};
      Await.until(
          "the timer retrained on the new range",
          Duration.ofSeconds(60),
          () -> {
            if (System.currentTimeMillis() - lastProbe[0] < 1_000) {
              return false;
            }
            lastProbe[0] = System.currentTimeMillis();
            return "block".equals(recommendation(payment(service, template, "150")));
          });
      assertEquals("allow", recommendation(payment(service, template, "3000000")));
    } finally {
      service.close();
    }
  }

  private static void store(ServiceUnderTest service, JsonObject template, double[] amounts) {
    JsonArray payments = new JsonArray();
    for (double amount : amounts) {
      payments.add(
          template
              .copy()
              .put("payment_id", Samples.unique("hist"))
              .put("amount", Double.toString(amount)));
    }
    HttpResponse<Buffer> stored = new Samples(service).post("/api/v1/payments/batch", payments);
    assertEquals(201, stored.statusCode(), stored::bodyAsString);
  }

  private static JsonObject payment(ServiceUnderTest service, JsonObject template, String amount) {
    HttpResponse<Buffer> created =
        new Samples(service)
            .post(
                "/api/v1/payments",
                template.copy().put("payment_id", Samples.unique("probe")).put("amount", amount));
    assertEquals(201, created.statusCode(), created::bodyAsString);
    return created.bodyAsJsonObject();
  }

  private static String recommendation(JsonObject payment) {
    return payment.getString("fraud_recommendation");
  }
}
