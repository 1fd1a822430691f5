package analytics;

import java.util.Arrays;
import java.util.Random;

/**
 * An isolation forest over one feature (Liu, Ting and Zhou, "Isolation Forest", ICDM 2008). Each of
 * {@value #TREES} trees is grown on a random subsample of ψ = min({@value #SUBSAMPLE}, n) values,
 * splitting at a uniformly random point between a node's smallest and largest value, down to a
 * height of ⌈log₂ ψ⌉. A value far from the others is isolated in few splits, so its path is short.
 * The score is {@code s(x) = 2^(−E[h(x)] / c(ψ))}: h(x) the depth at which x lands, plus c(m) for
 * the m values left unsplit in that leaf, averaged over the trees, and c(m) = 2H(m − 1) − 2(m −
 * 1)/m the average path of an unsuccessful search in a binary search tree of m values. s near 1 is
 * an anomaly, around 0.5 or below is normal. The random source is seeded, so the same history
 * always gives the same forest.
 */
final class IsolationForest {
  private static final int TREES = 100;
  private static final int SUBSAMPLE = 256;
  private static final long SEED = 20080101L;
  private static final double EULER_GAMMA = 0.5772156649015329;

  /**
   * A node: a leaf when {@code left} is null, holding {@code size} values; else a split at {@code
   * at}.
   */
  private record Node(double at, Node left, Node right, int size) {
    static Node leaf(int size) {
      return new Node(Double.NaN, null, null, size);
    }
  }

  private final Node[] trees;
  private final double averagePath;

  private IsolationForest(Node[] trees, int subsample) {
    this.trees = trees;
    this.averagePath = averagePath(subsample);
  }

  /**
   * @param values at least two
   */
  static IsolationForest fit(double[] values) {
    Random random = new Random(SEED);
    int subsample = Math.min(SUBSAMPLE, values.length);
    int heightLimit = (int) Math.ceil(Math.log(subsample) / Math.log(2));
    Node[] trees = new Node[TREES];
    for (int t = 0; t < TREES; t++) {
      trees[t] = grow(sample(values, subsample, random), 0, heightLimit, random);
    }
    return new IsolationForest(trees, subsample);
  }

  /** The anomaly score of {@code value}, in (0, 1]. */
  double score(double value) {
    double total = 0;
    for (Node tree : trees) {
      total += pathLength(tree, value);
    }
    return Math.pow(2, -(total / trees.length) / averagePath);
  }

  /** {@code size} values drawn without replacement (a partial Fisher–Yates shuffle of a copy). */
  private static double[] sample(double[] values, int size, Random random) {
    double[] pool = values.clone();
    for (int i = 0; i < size; i++) {
      int j = i + random.nextInt(pool.length - i);
      double swap = pool[i];
      pool[i] = pool[j];
      pool[j] = swap;
    }
    return Arrays.copyOf(pool, size);
  }

  private static Node grow(double[] values, int depth, int heightLimit, Random random) {
    double min = Arrays.stream(values).min().orElse(0);
    double max = Arrays.stream(values).max().orElse(0);
    if (depth >= heightLimit || values.length <= 1 || min == max) {
      return Node.leaf(values.length);
    }
    double at = min + random.nextDouble() * (max - min);
    double[] left = Arrays.stream(values).filter(value -> value < at).toArray();
    double[] right = Arrays.stream(values).filter(value -> value >= at).toArray();
    return new Node(
        at,
        grow(left, depth + 1, heightLimit, random),
        grow(right, depth + 1, heightLimit, random),
        0);
  }

  private static double pathLength(Node tree, double value) {
    int depth = 0;
    Node node = tree;
    while (node.left() != null) {
      node = value < node.at() ? node.left() : node.right();
      depth++;
    }
    return depth + averagePath(node.size());
  }

  /**
   * c(m): the average path length of an unsuccessful search in a binary search tree of m values.
   */
  static double averagePath(int m) {
    if (m <= 1) {
      return 0;
    }
    if (m == 2) {
      return 1;
    }
    return 2 * (Math.log(m - 1) + EULER_GAMMA) - 2.0 * (m - 1) / m;
  }
}
