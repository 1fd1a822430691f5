package deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import push.QuoteProtocol;
import support.ApiClients;
import support.Await;
import support.QuoteSockets;
import support.ServiceJar;
import support.Trades;

/**
 * The cluster commands of docs/operations.md, run as a reader runs them: {@code
 * deploy/cluster-local.sh} itself starts its three JVMs (the worker with the embedded servers, a
 * consumer and the edge, clustered, with the shipped defaults: auth on and the rate limit's buckets
 * in Redis). With the token the worker prints, a trade is posted to the edge and the quotes
 * WebSocket is subscribed on its API port; then SIGTERM stops the script, and no process it started
 * is left.
 */
@Tag("integration")
class ClusterLocalScriptIT {
  /**
   * The ports the script's JVMs take: the edge's HTTP, push and management ports, the others'
   * management, Kafka.
   */
  private static final List<Integer> SCRIPT_PORTS = List.of(8080, 8081, 9090, 9191, 9192, 9092);

  private static final Duration UP = Duration.ofMinutes(4);
  private static final Pattern TOKEN = Pattern.compile("Authorization: Bearer (\\S+)");
  private static final Path OUTPUT = Path.of("target", "services", "cluster-local-script.log");

  @Test
  void theScriptsClusterServesTheEdgeAndStopsWithNothingLeft() throws Exception {
    SCRIPT_PORTS.forEach(ClusterLocalScriptIT::requireFree);
    ServiceJar
        .devClasspath(); // current, so the script starts at once instead of compiling under this
    // build
    Files.createDirectories(OUTPUT.getParent());
    ProcessBuilder builder =
        new ProcessBuilder("bash", "deploy/cluster-local.sh")
            .redirectErrorStream(true)
            .redirectOutput(OUTPUT.toFile());
    builder.environment().put("CLUSTER_NAME", "cluster-local-it-" + UUID.randomUUID());
    Process script = builder.start();
    Vertx vertx = Vertx.vertx();
    List<ProcessHandle> started = List.of();
    Stopped stopped;
    try {
      Await.until(
          "the script reports its cluster up; see " + OUTPUT,
          UP,
          () -> {
            assertTrue(
                script.isAlive(),
                () -> "the script exited with " + script.exitValue() + ":\n" + output());
            return output().contains("of 3 JVMs is up");
          });
      started = script.toHandle().descendants().toList();
      assertEquals(
          3,
          started.stream()
              .filter(process -> process.info().command().orElse("").endsWith("/java"))
              .count(),
          () -> "three JVMs among the script's processes: " + output());
      Matcher token = TOKEN.matcher(output());
      assertTrue(token.find(), () -> "no token printed:\n" + output());
      aTradePostedToTheEdgeIsCreated(vertx, token.group(1));
      assertEquals(
          "snapshot",
          QuoteSockets.firstFrameAfterSubscribing(
                  vertx,
                  new WebSocketConnectOptions()
                      .setHost("127.0.0.1")
                      .setPort(8080)
                      .setURI(QuoteProtocol.PATH)
                      .addHeader("Authorization", "Bearer " + token.group(1)),
                  "LOCALWS")
              .getString("type"),
          "the quotes WebSocket on the API port answers, relayed to the push server");
    } finally {
      stopped =
          stop(script, started.isEmpty() ? script.toHandle().descendants().toList() : started);
      Await.result(vertx.close());
    }
    assertTrue(stopped.exited(), "the script did not exit within 90 s of SIGTERM");
    assertEquals(
        List.of(),
        stopped.survivors(),
        "processes of the script still running 30 s after it exited");
  }

  /**
   * Whether the script exited after SIGTERM, and the commands of the processes it started that
   * outlived it.
   */
  private record Stopped(boolean exited, List<String> survivors) {}

  /**
   * SIGTERM to the script, as Ctrl-C would; whatever is left after the deadlines is killed, and
   * reported.
   */
  private static Stopped stop(Process script, List<ProcessHandle> started)
      throws InterruptedException {
    script.destroy();
    boolean exited = script.waitFor(90, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (ProcessHandle process : started) {
      try {
        process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException stillRunning) {
        // reported below
      }
    }
    List<ProcessHandle> survivors = started.stream().filter(ProcessHandle::isAlive).toList();
    survivors.forEach(ProcessHandle::destroyForcibly);
    script.destroyForcibly();
    return new Stopped(
        exited,
        survivors.stream()
            .map(process -> process.pid() + " " + process.info().commandLine().orElse("?"))
            .toList());
  }

  private static void aTradePostedToTheEdgeIsCreated(Vertx vertx, String token) {
    WebClient client = ApiClients.webClient(vertx);
    HttpResponse<Buffer> created =
        Await.result(
            client
                .post(8080, "127.0.0.1", "/api/v1/trades")
                .putHeader("Authorization", "Bearer " + token)
                .sendJsonObject(
                    Trades.json(
                        "LOCAL-" + UUID.randomUUID(), 1, "B1", LocalDate.now().plusYears(1))));
    assertEquals(201, created.statusCode(), created::bodyAsString);
  }

  private static void requireFree(int port) {
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertEquals(port, probe.getLocalPort());
    } catch (IOException taken) {
      throw new AssertionError(
          "port " + port + " is taken; deploy/cluster-local.sh needs it (a dev.sh running?)");
    }
  }

  private static String output() {
    try {
      return Files.readString(OUTPUT, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
