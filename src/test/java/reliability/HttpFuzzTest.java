package reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import support.Await;
import support.ServiceUnderTest;
import support.TestClock;
import support.Trades;

/**
 * Scenario 8: generated hostile requests against every endpoint, with valid trade upserts running
 * alongside. No request may get a 5xx, every 4xx is a JSON error, every valid trade is stored, and the
 * service is ready afterwards.
 */
class HttpFuzzTest {
  private static final int LANES = 32;
  private static final Duration NO_ANSWER = Duration.ofSeconds(15);
  private static final Duration DEADLINE = Duration.ofMinutes(Scale.pick(3, 15));
  private static ServiceUnderTest service;
  private static HttpClient client;
  private static final java.util.Set<Probe> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** One generated request, kept for the failure message so it can be replayed by hand. */
  record Probe(HttpMethod method, String uri, String contentType, Buffer body, Map<String, String> headers) {
    String describe() {
      String shown = body == null ? "" : body.getString(0, Math.min(200, body.length()), "ISO-8859-1");
      return method + " " + (uri.length() > 200 ? uri.substring(0, 200) + "…" : uri) + " [" + contentType + "] "
          + (body == null ? 0 : body.length()) + " bytes: " + shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
  }

  record Answer(Probe probe, int status, String contentType, String body) {}

  @BeforeAll
  static void deploy() {
    service = ServiceUnderTest.start(new JsonObject());
    client = service.vertx.createHttpClient(new HttpClientOptions().setDecompressionSupported(true).setDefaultHost("127.0.0.1")
        .setDefaultPort(service.port()), new PoolOptions().setHttp1MaxSize(LANES + 8));
  }

  @AfterAll
  static void close() {
    Await.result(client.close());
    service.close();
  }

  @Test
  void noHostileRequestGetsA5xxAndValidTrafficIsUnaffected() {
    long seed = Seeds.seed();
    List<Probe> probes = new FuzzRequests(new Random(seed), TestClock.today()).generate(Scale.pick(10_000, 50_000));
    String validPrefix = "FUZZOK" + seed % 100_000 + "-";
    int validCount = Scale.pick(500, 2_000);
    Queue<Answer> bad = new ConcurrentLinkedQueue<>();
    Map<Integer, AtomicInteger> byStatus = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicInteger validCreated = new AtomicInteger();

    Future<Void> fuzzing = Lanes.run(probes, LANES, probe -> send(probe).onSuccess(answer -> {
      byStatus.computeIfAbsent(answer.status(), s -> new AtomicInteger()).incrementAndGet();
      if (!acceptable(answer)) {
        bad.add(answer);
      }
    }));
    Future<Void> valid = Lanes.run(validTrades(validPrefix, validCount), LANES, probe -> send(probe).onSuccess(answer -> {
      if (answer.status() == 201) {
        validCreated.incrementAndGet();
      } else {
        bad.add(answer);
      }
    }));
    try {
      Await.result(Future.all(fuzzing, valid), DEADLINE);
    } catch (AssertionError timedOut) {
      throw new AssertionError(inFlight.size() + " requests still unanswered, e.g.:\n" + inFlight.stream().limit(10)
          .map(Probe::describe).collect(Collectors.joining("\n")), timedOut);
    }

    int stored = service.sql("SELECT count(*) FROM trades WHERE starts_with(trade_id, $1)", validPrefix).iterator().next()
        .getInteger(0);
    int ready = service.get("/health/ready").statusCode();
    Map<Integer, Integer> statuses = new TreeMap<>();
    byStatus.forEach((status, count) -> statuses.put(status, count.get()));
    Figures.of("HTTP fuzzing").sent(probes.size()).stored(stored).lost(validCount - stored)
        .note(validCount + " valid trades alongside; statuses " + statuses + "; seed " + seed).report();
    assertTrue(bad.isEmpty(), bad.size() + " unacceptable answers, e.g.:\n" + bad.stream().limit(10)
        .map(a -> a.status() + " " + a.body() + " ← " + a.probe().describe()).collect(Collectors.joining("\n")));
    assertEquals(validCount, validCreated.get());
    assertEquals(validCount, stored);
    assertEquals(200, ready);
  }

  /**
   * Request lines no HTTP client would send, over a raw socket: each gets a JSON 4xx, then the connection
   * closes. (An unknown HTTP version is answered 501 by Vert.x itself before any handler runs: not covered.)
   */
  @Test
  void malformedRequestLinesGetAJsonAnswer() {
    List<String> requests = List.of("GET /a?x= 7  HTTP/1.1\r\nHost: a\r\n\r\n", "GARBAGE\r\n\r\n",
"GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX: " + "b".repeat(10_000) + "\r\n\r\n", "@@@ ### $$$\r\n\r\n",
        "POST /api/v1/trades HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n");
    for (String request : requests) {
      String answer = Await.result(rawExchange(request));
      String shown = request.substring(0, Math.min(60, request.length()));
      assertTrue(answer.matches("(?s)HTTP/1\\.[01] 4\\d\\d .*\\r\\n\\r\\n\\{\"error\":\"[A-Z_]+\".*"),
          shown + " → " + answer);
    }
  }

  /** Writes the bytes, and collects what comes back until the server closes the connection. */
  private static Future<String> rawExchange(String request) {
    Buffer received = Buffer.buffer();
    return service.vertx.createNetClient().connect(service.port(), "127.0.0.1").compose(socket -> {
      io.vertx.core.Promise<String> closed = io.vertx.core.Promise.promise();
      socket.handler(received::appendBuffer);
      socket.closeHandler(v -> closed.tryComplete(received.toString()));
      socket.write(Buffer.buffer(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
      service.vertx.setTimer(NO_ANSWER.toMillis(), id -> closed.tryComplete("no answer, connection still open: "
          + received));
      return closed.future();
    });
  }

  /** Under 500, and a 4xx carries a JSON error body with a code. */
  private static boolean acceptable(Answer answer) {
    if (answer.status() >= 500 || answer.status() == 0) {
      return false;
    }
    if (answer.status() < 400) {
      return true;
    }
    try {
      return answer.contentType() != null && answer.contentType().startsWith("application/json")
          && new JsonObject(answer.body()).getValue("error") instanceof String;
    } catch (RuntimeException notJson) {
      return false;
    }
  }

  private static Future<Answer> send(Probe probe) {
    inFlight.add(probe);
    return attempt(probe).onComplete(done -> inFlight.remove(probe));
  }

  private static Future<Answer> attempt(Probe probe) {
    RequestOptions options = new RequestOptions().setMethod(probe.method()).setURI(probe.uri())
        .setIdleTimeout(NO_ANSWER.toMillis());
    if (probe.contentType() != null) {
      options.putHeader("content-type", probe.contentType());
    }
    probe.headers().forEach(options::putHeader);
    return client.request(options)
        .compose(request -> probe.body() == null ? request.send() : request.send(probe.body()))
        .compose(response -> response.body().map(body -> new Answer(probe, response.statusCode(),
            response.getHeader("content-type"), body.toString())))
        .recover(e -> Future.succeededFuture(noAnswer(probe, e)));
  }

  /**
   * A request left unanswered is a failure (status 0). The server may close the connection while a refused
   * request's body is still being sent: the client sees the close instead of the answer (status 499).
   */
  private static Answer noAnswer(Probe probe, Throwable e) {
    boolean timedOut = e instanceof java.util.concurrent.TimeoutException || String.valueOf(e.getMessage()).contains("timeout");
    return timedOut ? new Answer(probe, 0, null, "no answer within " + NO_ANSWER + ": " + e)
        : new Answer(probe, 499, "application/json", "{\"error\":\"CONNECTION_CLOSED\"}");
  }

  private static List<Probe> validTrades(String prefix, int count) {
    List<Probe> probes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      probes.add(new Probe(HttpMethod.POST, "/api/v1/trades", "application/json",
          Trades.json(prefix + i, 1, "B1", TestClock.today().plusDays(30)).toBuffer(), Map.of()));
    }
    return probes;
  }
}
