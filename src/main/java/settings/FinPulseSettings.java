package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/**
 * The FinPulse writer's settings: batch size, and the surveillance and fraud rules of its
 * analytics.
 */
public record FinPulseSettings(int batchMax, Surveillance surveillance, Fraud fraud) {
  /**
   * A trade is flagged when its amount is more than {@code threshold} deviations from the recent
   * mean.
   */
  public record Surveillance(double threshold, int minHistory, int window) {}

  /**
   * Scores above which a payment is reviewed or blocked, and the amounts the untrained fallback
   * uses.
   */
  public record Fraud(
      int minHistory,
      double reviewScore,
      double blockScore,
      double fallbackReviewAmount,
      double fallbackBlockAmount,
      int trainingSize,
      long retrainMs) {}

  public static FinPulseSettings from(JsonObject config) {
    return new FinPulseSettings(
        config.getInteger(FINPULSE_BATCH_MAX),
        new Surveillance(
            config.getDouble(FINPULSE_SURVEILLANCE_THRESHOLD),
            config.getInteger(FINPULSE_SURVEILLANCE_MIN_HISTORY),
            config.getInteger(FINPULSE_SURVEILLANCE_WINDOW)),
        new Fraud(
            config.getInteger(FINPULSE_FRAUD_MIN_HISTORY),
            config.getDouble(FINPULSE_FRAUD_REVIEW_SCORE),
            config.getDouble(FINPULSE_FRAUD_BLOCK_SCORE),
            config.getDouble(FINPULSE_FRAUD_FALLBACK_REVIEW_AMOUNT),
            config.getDouble(FINPULSE_FRAUD_FALLBACK_BLOCK_AMOUNT),
            config.getInteger(FINPULSE_FRAUD_TRAINING_SIZE),
            config.getLong(FINPULSE_FRAUD_RETRAIN_MS)));
  }
}
