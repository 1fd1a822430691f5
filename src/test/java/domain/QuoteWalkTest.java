package domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class QuoteWalkTest {
  @Test
  void pricesWalkInCentsWithSmallStepsAndStayPositive() {
    QuoteWalk walk = new QuoteWalk(List.of("AAPL", "ZZZ"), new Random(1));
    BigDecimal last = new BigDecimal("189.50");
    int aaplTicks = 0;
    for (int round = 0; round < 2_000; round++) {
      for (Tick tick : walk.next(round)) {
        assertTrue(tick.price().scale() <= 2 && tick.price().signum() > 0, tick::toString);
        assertTrue(tick.size().signum() > 0);
        assertEquals("SIM", tick.exchange());
        assertEquals(round, tick.timestampMs());
        if (tick.symbol().equals("AAPL")) {
          double step = tick.price().doubleValue() / last.doubleValue() - 1;
          assertTrue(Math.abs(step) < 0.01, () -> "a step of " + step);
          last = tick.price();
          aaplTicks++;
        }
      }
    }
    assertTrue(
        aaplTicks > 1_000 && aaplTicks < 2_000, "most rounds move a symbol, not all: " + aaplTicks);
    assertEquals(QuoteWalk.startingPrice("ZZZ"), QuoteWalk.startingPrice("ZZZ"));
  }
}
