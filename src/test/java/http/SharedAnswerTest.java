package http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** One ask of the backend per interval, never two in flight, and no failure kept. */
@Tag("unit")
class SharedAnswerTest {
  private final List<Promise<String>> asks = new ArrayList<>();
  private long nanos;

  private Future<String> ask() {
    Promise<String> ask = Promise.promise();
    asks.add(ask);
    return ask.future();
  }

  @Test
  void aSlowAskIsSharedWhileInFlightThenAskedAnewOnceAnsweredAndOld() {
    SharedAnswer<String> shared = new SharedAnswer<>(1_000, () -> nanos);
    Future<String> first = shared.get(this::ask);
    nanos += 5_000_000_000L; // past the interval, the ask still in flight: no second ask may start
    assertSame(first, shared.get(this::ask));
    assertEquals(1, asks.size());
    asks.get(0).complete("counted");
    assertEquals(2, asksAfter(shared), "answered and past the interval: asked anew");
  }

  @Test
  void anAskInFlightForLongerThanThePatienceIsGivenUp() {
    SharedAnswer<String> shared = new SharedAnswer<>(1_000, () -> nanos);
    shared.get(this::ask);
    nanos += 31_000_000_000L;
    assertEquals(2, asksAfter(shared), "a hung backend does not hang every later request");
  }

  private int asksAfter(SharedAnswer<String> shared) {
    shared.get(this::ask);
    return asks.size();
  }

  @Test
  void anAnswerIsReusedWithinTheIntervalAndAFailureIsNot() {
    SharedAnswer<String> shared = new SharedAnswer<>(60_000, () -> nanos);
    shared.get(this::ask);
    asks.get(0).complete("counted");
    assertEquals("counted", shared.get(this::ask).result());
    assertEquals(1, asks.size());
    shared.forget();
    shared.get(this::ask);
    asks.get(1).fail("the backend refused");
    shared.get(this::ask);
    assertEquals(3, asks.size(), "a failed answer is asked again at once");
  }
}
