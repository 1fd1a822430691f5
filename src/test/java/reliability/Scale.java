package reliability;

/**
 * Sizes of the fault scenarios. The default ("ci") keeps the whole suite within a few minutes
 * inside {@code .ci/run}; {@code -Dreliability.scale=full} (see {@code deploy/reliability.sh}) runs
 * the large sizes.
 */
public final class Scale {
  private static final boolean FULL = "full".equals(System.getProperty("reliability.scale", "ci"));

  private Scale() {}

  /** {@code ci} in the default run, {@code full} in the standalone one. */
  public static int pick(int ci, int full) {
    return FULL ? full : ci;
  }

  public static String name() {
    return FULL ? "full" : "ci";
  }
}
