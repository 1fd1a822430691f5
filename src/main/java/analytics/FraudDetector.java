package analytics;

/**
 * Payments fraud scoring with an isolation forest ({@link IsolationForest}: Liu, Ting and Zhou,
 * 2008) trained on the stored payment history. The feature is the payment's size on a log scale,
 * {@code ln(1 + amount)}, so that an amount far outside the usual range is isolated in few random
 * splits.
 *
 * <p>The forest's anomaly score is {@code s(x) = 2^(−E[h(x)] / c(ψ))}: h(x) the path length that
 * isolates x in a tree, averaged over the trees, and c(ψ) the average path length of an
 * unsuccessful search in a binary search tree of the subsample size ψ. s near 1 is an anomaly, well
 * below 0.5 is normal. The recommendation is {@code block} at {@code s ≥ blockScore}, {@code
 * review} at {@code s ≥ reviewScore}, else {@code allow}.
 *
 * <p><b>Fallback</b> while fewer than {@code minHistory} payments are stored (a forest on a handful
 * of points isolates everything): the score is {@code min(1, amount / fallbackBlockAmount)}, and
 * the recommendation is {@code block} from {@code fallbackBlockAmount}, {@code review} from {@code
 * fallbackReviewAmount}, else {@code allow}.
 */
public final class FraudDetector {
  public static final String ALLOW = "allow";
  public static final String REVIEW = "review";
  public static final String BLOCK = "block";

  /** The thresholds, from configuration. */
  public record Policy(
      int minHistory,
      double reviewScore,
      double blockScore,
      double fallbackReviewAmount,
      double fallbackBlockAmount) {}

  /** A payment's score in [0, 1] and what to do with it; {@code model} says which rule decided. */
  public record Assessment(double score, String recommendation, String model) {}

  private final Policy policy;
  private final IsolationForest forest;
  private final int trainedOn;

  private FraudDetector(Policy policy, IsolationForest forest, int trainedOn) {
    this.policy = policy;
    this.forest = forest;
    this.trainedOn = trainedOn;
  }

  /** The fallback rule alone, until a forest is trained. */
  public static FraudDetector untrained(Policy policy) {
    return new FraudDetector(policy, null, 0);
  }

  /**
   * Trains a forest on these amounts, or keeps the fallback when there are too few. CPU-bound: off
   * the event loop.
   */
  public static FraudDetector train(double[] amounts, Policy policy) {
    if (amounts.length < Math.max(2, policy.minHistory())) {
      return new FraudDetector(policy, null, amounts.length);
    }
    double[] features = new double[amounts.length];
    for (int i = 0; i < amounts.length; i++) {
      features[i] = feature(amounts[i]);
    }
    return new FraudDetector(policy, IsolationForest.fit(features), amounts.length);
  }

  public boolean trained() {
    return forest != null;
  }

  public int trainedOn() {
    return trainedOn;
  }

  public Assessment assess(double amount) {
    if (forest == null) {
      double score = Math.min(1, Math.max(0, amount / policy.fallbackBlockAmount()));
      String recommendation =
          amount >= policy.fallbackBlockAmount()
              ? BLOCK
              : amount >= policy.fallbackReviewAmount() ? REVIEW : ALLOW;
      return new Assessment(score, recommendation, "fallback");
    }
    double score = forest.score(feature(amount));
    String recommendation =
        score >= policy.blockScore() ? BLOCK : score >= policy.reviewScore() ? REVIEW : ALLOW;
    return new Assessment(score, recommendation, "isolation-forest");
  }

  private static double feature(double amount) {
    return Math.log1p(Math.max(0, amount));
  }
}
