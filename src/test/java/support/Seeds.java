package support;

import org.slf4j.LoggerFactory;

/** The random seed of a scenario: printed, and replayable with {@code -Dreliability.seed=N}. */
public final class Seeds {
  private Seeds() {}

  public static long seed() {
    long seed = Long.getLong("reliability.seed", System.nanoTime() & Long.MAX_VALUE);
    LoggerFactory.getLogger(Seeds.class)
        .info("Scenario seed {} (replay with -Dreliability.seed={})", seed, seed);
    return seed;
  }
}
