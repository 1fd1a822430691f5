package analytics;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;

/**
 * Order and trade surveillance: how unusual a notional (quantity × price) is for its instrument.
 *
 * <p>The score is the z-score of the notional x against the instrument's recent notionals h₁…hₙ:
 * {@code z = (x − mean(h)) / s(h)}, with {@code s} the sample standard deviation (n − 1 in the
 * denominator). The alert is raised when {@code |z| ≥ threshold}. With fewer than {@code
 * minHistory} notionals, or none that differ (s = 0), there is no basis to call anything unusual:
 * the score is 0 and there is no alert.
 */
public final class Surveillance {
  /** The score and whether it crossed the threshold. */
  public record Result(double score, boolean alert) {}

  private final double threshold;
  private final int minHistory;

  public Surveillance(double threshold, int minHistory) {
    this.threshold = threshold;
    this.minHistory = Math.max(2, minHistory);
  }

  public Result score(double[] history, double notional) {
    if (history.length < minHistory) {
      return new Result(0, false);
    }
    DescriptiveStatistics stats = new DescriptiveStatistics(history);
    double deviation = stats.getStandardDeviation();
    if (deviation == 0 || Double.isNaN(deviation)) {
      return new Result(0, false);
    }
    double z = (notional - stats.getMean()) / deviation;
    return new Result(z, Math.abs(z) >= threshold);
  }
}
