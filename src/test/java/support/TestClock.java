package support;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The one clock of a test run: the service under test takes its "today" from it (see {@link
 * ServiceUnderTest}), and tests compute their dates from it, so both agree even when a run crosses
 * midnight UTC.
 */
public final class TestClock {
  public static final Clock CLOCK = Clock.fixed(Instant.now(), ZoneOffset.UTC);

  private TestClock() {}

  public static LocalDate today() {
    return LocalDate.now(CLOCK);
  }
}
