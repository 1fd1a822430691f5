package analytics;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * One-period value at risk of a portfolio from its value series V₀…Vₙ (oldest first), as a positive
 * amount of money: the loss over one period of the series that is not exceeded with probability
 * {@code confidence}.
 *
 * <p>Returns are simple: {@code rᵢ = Vᵢ / Vᵢ₋₁ − 1}. V = Vₙ, the latest value.
 *
 * <ul>
 *   <li><b>parametric</b> (variance–covariance, normal returns): {@code VaR = V · (z_c · σ − μ)},
 *       with μ the mean return, σ the sample standard deviation (n − 1) and {@code z_c = Φ⁻¹(c)}
 *       the standard normal quantile (1.6449 at 95 %).
 *   <li><b>historical</b>: {@code VaR = −V · q}, with q the empirical (1 − c) quantile of the
 *       returns, the inverse of their empirical distribution function (commons-math {@code
 *       Percentile} R_1): the ⌈n · (1 − c)⌉-th smallest return.
 * </ul>
 *
 * A VaR below 0 (a series whose worst case is still a gain) is reported as 0.
 */
public final class ValueAtRisk {
  public enum Method {
    PARAMETRIC,
    HISTORICAL
  }

  /** Returns needed: two, so that a sample standard deviation exists. */
  public static final int MIN_RETURNS = 2;

  /** The VaR and the statistics behind it. */
  public record Result(
      double var, double latestValue, double meanReturn, double volatility, int returns) {}

  private ValueAtRisk() {}

  public static double[] returns(double[] values) {
    double[] returns = new double[Math.max(0, values.length - 1)];
    for (int i = 1; i < values.length; i++) {
      returns[i - 1] = values[i] / values[i - 1] - 1;
    }
    return returns;
  }

  /**
   * @throws IllegalArgumentException with fewer than {@link #MIN_RETURNS} returns, or a confidence
   *     outside (0, 1)
   */
  public static Result compute(double[] values, double confidence, Method method) {
    double[] returns = returns(values);
    if (returns.length < MIN_RETURNS) {
      throw new IllegalArgumentException(
          "VaR needs at least " + (MIN_RETURNS + 1) + " values, got " + values.length);
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must lie between 0 and 1");
    }
    DescriptiveStatistics stats = new DescriptiveStatistics(returns);
    double latest = values[values.length - 1];
    double loss =
        switch (method) {
          case PARAMETRIC ->
              latest
                  * (new NormalDistribution().inverseCumulativeProbability(confidence)
                          * stats.getStandardDeviation()
                      - stats.getMean());
          case HISTORICAL ->
              -latest
                  * new Percentile()
                      .withEstimationType(Percentile.EstimationType.R_1)
                      .evaluate(returns, (1 - confidence) * 100);
        };
    return new Result(
        Math.max(0, loss), latest, stats.getMean(), stats.getStandardDeviation(), returns.length);
  }
}
