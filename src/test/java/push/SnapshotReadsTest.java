package push;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cache.QuoteCache;
import cache.QuoteLookup;
import cache.RedisCache;
import contract.ConfigKeys;
import domain.Tick;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import store.QuoteStore;
import support.Await;
import support.ServiceUnderTest;

/**
 * A burst of snapshot requests costs one read for the first and one for all that queued behind it.
 */
@Tag("integration")
class SnapshotReadsTest {
  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "api"));

  private static RedisCache redis;

  @BeforeAll
  static void start() {
    redis = RedisCache.create(service.vertx, service.config, "snapshot reads test");
  }

  @Test
  void aBurstSharesOneReadAndEachGetsItsOwnSymbols() {
    String a = "SNAPA" + System.nanoTime() % 100_000;
    String b = "SNAPB" + System.nanoTime() % 100_000;
    QuoteCache cache = new QuoteCache(redis);
    Await.result(
        cache.putIfNewer(
            List.of(
                new Tick(a, new BigDecimal("1.5"), BigDecimal.ONE, 1L, "X"),
                new Tick(b, new BigDecimal("2.5"), BigDecimal.ONE, 1L, "X"))));
    SnapshotReads reads = new SnapshotReads(new QuoteLookup(cache, new QuoteStore(service.pg)));

    Promise<List<Future<Map<String, Tick>>>> burst = Promise.promise();
    service.vertx.runOnContext(
        v -> {
          List<Future<Map<String, Tick>>> results = new ArrayList<>();
          for (int i = 0; i < 1_000; i++) {
            results.add(reads.latest(i % 2 == 0 ? List.of(a) : List.of(a, b)));
          }
          burst.complete(results);
        });
    List<Future<Map<String, Tick>>> results = Await.result(burst.future());
    Await.result(Future.all(results));

    assertEquals(2, reads.reads(), "the first request, then everything that queued behind it");
    for (int i = 0; i < results.size(); i++) {
      assertEquals(
          i % 2 == 0 ? List.of(a) : List.of(a, b),
          List.copyOf(results.get(i).result().keySet()),
          "request " + i);
    }
    assertEquals(new BigDecimal("2.5"), results.get(1).result().get(b).price());
  }
}
