package logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Lets an appender write only when LOG_FORMAT selects it, so the text and the JSON appender can
 * both be configured and referenced, and one of them writes each line.
 */
public final class FormatFilter extends Filter<ILoggingEvent> {
  private String format = "";
  private String selected = "";

  /** The format this appender writes. */
  public void setFormat(String format) {
    this.format = format;
  }

  /** The format LOG_FORMAT selected. */
  public void setSelected(String selected) {
    this.selected = selected;
  }

  @Override
  public FilterReply decide(ILoggingEvent event) {
    return format.equalsIgnoreCase(selected.strip()) ? FilterReply.NEUTRAL : FilterReply.DENY;
  }
}
