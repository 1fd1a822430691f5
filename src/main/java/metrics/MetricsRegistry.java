package metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

/** The Vert.x Micrometer registry, or a no-op one when metrics are off (as in tests). */
public final class MetricsRegistry {
  private static final MeterRegistry NO_OP = new CompositeMeterRegistry();

  private MetricsRegistry() {}

  public static MeterRegistry get() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry == null ? NO_OP : registry;
  }
}
