package logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Runs before Logback creates each logging event, on the logging thread: copies {@link
 * Correlation#current()} into the MDC, where the pattern ({@code %X{correlation_id}}) and the JSON
 * encoder read it. The MDC is only this bridge; the id itself lives in the Vert.x context. Decides
 * nothing.
 */
public final class CorrelationTurboFilter extends TurboFilter {
  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != null && !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL;
    }
    String id = Correlation.current();
    if (id == null) {
      MDC.remove(Correlation.KEY);
    } else {
      MDC.put(Correlation.KEY, id);
    }
    return FilterReply.NEUTRAL;
  }
}
