package analytics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import resources.FinPulse;
import resources.Resource;
import settings.FinPulseSettings;
import store.AnalyticsInputs;

/**
 * The analytics a create answers with, computed before the row is stored and stored with it:
 * surveillance of orders and trade executions, fraud scoring of payments, identity scoring of
 * customers. The fraud model is retrained from the stored payments on a worker thread; until a
 * training succeeds, its documented fallback rule scores.
 */
public final class FinPulseAnalytics {
  private static final Logger LOG = LoggerFactory.getLogger(FinPulseAnalytics.class);
  private static final int SCALE = 10;

  private final Vertx vertx;
  private final AnalyticsInputs inputs;
  private final Clock clock;
  private final Surveillance surveillance;
  private final int surveillanceWindow;
  private final FraudDetector.Policy fraudPolicy;
  private final int fraudTrainingSize;
  private volatile FraudDetector fraud;

  public FinPulseAnalytics(
      Vertx vertx, AnalyticsInputs inputs, FinPulseSettings settings, Clock clock) {
    this.vertx = vertx;
    this.inputs = inputs;
    this.clock = clock;
    FinPulseSettings.Surveillance watch = settings.surveillance();
    this.surveillance = new Surveillance(watch.threshold(), watch.minHistory());
    this.surveillanceWindow = watch.window();
    FinPulseSettings.Fraud fraud = settings.fraud();
    this.fraudPolicy =
        new FraudDetector.Policy(
            fraud.minHistory(),
            fraud.reviewScore(),
            fraud.blockScore(),
            fraud.fallbackReviewAmount(),
            fraud.fallbackBlockAmount());
    this.fraudTrainingSize = fraud.trainingSize();
    this.fraud = FraudDetector.untrained(fraudPolicy);
  }

  /** The values of a create with the computed fields of its resource added. */
  public Future<Map<String, String>> enrich(Resource resource, Map<String, String> values) {
    return switch (resource.name()) {
      case FinPulse.CUSTOMERS ->
          Future.succeededFuture(
              with(
                  values,
                  Map.of(
                      "ai_identity_score",
                      IdentityScore.score(values, LocalDate.now(clock)).toPlainString())));
      case FinPulse.ORDERS, FinPulse.TRADE_EXECUTIONS -> surveil(resource, values);
      case FinPulse.PAYMENTS -> Future.succeededFuture(assessPayment(values));
      case FinPulse.ACCOUNTS -> Future.succeededFuture(with(values, Map.of("balance", "0")));
      default -> Future.succeededFuture(values);
    };
  }

  private Future<Map<String, String>> surveil(Resource resource, Map<String, String> values) {
    double notional =
        new BigDecimal(values.get("quantity"))
            .multiply(new BigDecimal(values.get("price")))
            .doubleValue();
    return inputs
        .notionals(resource, values.get("security_id"), surveillanceWindow)
        .map(
            history -> {
              Surveillance.Result result = surveillance.score(history, notional);
              return with(
                  values,
                  Map.of(
                      "surveillance_score",
                      decimal(result.score()),
                      "surveillance_alert",
                      Boolean.toString(result.alert())));
            });
  }

  private Map<String, String> assessPayment(Map<String, String> values) {
    FraudDetector.Assessment assessment = fraud.assess(Double.parseDouble(values.get("amount")));
    return with(
        values,
        Map.of(
            "fraud_score",
            decimal(assessment.score()),
            "fraud_recommendation",
            assessment.recommendation()));
  }

  /**
   * Trains a new fraud model on the newest stored payments; the forest is built on a worker thread.
   */
  public Future<FraudDetector> retrainFraudModel() {
    return inputs
        .paymentAmounts(fraudTrainingSize)
        .compose(amounts -> vertx.executeBlocking(() -> FraudDetector.train(amounts, fraudPolicy)))
        .onSuccess(this::use)
        .onFailure(
            e -> LOG.warn("Fraud model not retrained, the previous one stays: {}", e.toString()));
  }

  /** Logs when the kind of model changes (forest or fallback), not at every retraining. */
  private void use(FraudDetector trained) {
    if (trained.trained() != fraud.trained()) {
      LOG.info(
          "Fraud model: {} on {} stored payments",
          trained.trained() ? "isolation forest" : "fallback rule",
          trained.trainedOn());
    }
    fraud = trained;
  }

  private static Map<String, String> with(
      Map<String, String> values, Map<String, String> computed) {
    Map<String, String> all = new LinkedHashMap<>(values);
    all.putAll(computed);
    return all;
  }

  /** A statistic as a decimal of at most 10 places, what the NUMERIC(30, 10) columns hold. */
  public static String decimal(double value) {
    return BigDecimal.valueOf(value)
        .setScale(SCALE, RoundingMode.HALF_EVEN)
        .stripTrailingZeros()
        .toPlainString();
  }
}
