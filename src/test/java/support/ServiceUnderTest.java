package support;

import app.Bootstrap;
import contract.ConfigKeys;
import contract.Scopes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;
import security.Tokens;
import settings.ManagementSettings;
import store.PgPools;

/**
 * The whole service deployed in a test's Vert.x against the shared real infrastructure, as it ships
 * (auth and the rate limit on), plus clients.
 *
 * <p>For a test class, it is a JUnit 5 extension on a static field, which starts the service in
 * beforeAll and {@linkplain #close() closes} it in afterAll (failing the class if an answer drifted
 * from openapi.yaml):
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ServiceUnderTest service =
 *     ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "api"));
 * }</pre>
 *
 * <p>Ordering: JUnit runs a static extension's beforeAll before the class's own @BeforeAll methods
 * and its afterAll after the class's @AfterAll methods. So a class's @BeforeAll already sees the
 * service running and its @AfterAll still does; whatever must happen before the service starts or
 * after it stops does not fit, and such a class calls {@link #start} and {@link #close} itself. So
 * does a test that needs a second, temporary service.
 */
public final class ServiceUnderTest
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  // Set when the service starts: by start() at once, by beforeAll for perClass(). Not final so
  // that a per-class instance can be a static field before then.
  public Vertx vertx;
  public JsonObject config;

  /** Sends an operator's bearer token with every request ({@link TestInfra#withToken}). */
  public WebClient http;

  /** Sends no token, as an anonymous client does. */
  public WebClient anonymous;

  public Pool pg;

  /** A client of its own for {@link #pollAuditLogs}, made at the first poll. */
  private WebClient auditPoller;

  /** What beforeAll starts; null for a service made by start(), which its caller closes. */
  private final Supplier<Vertx> vertxFactory;

  private final JsonObject overrides;

  /** The test class that started this per-class service, which alone closes it. */
  private String startedFor;

  private ServiceUnderTest(Supplier<Vertx> vertxFactory, JsonObject overrides) {
    this.vertxFactory = vertxFactory;
    this.overrides = overrides;
  }

  private void boot(Vertx vertx, JsonObject overrides) {
    auditPoller = null;
    JsonObject merged =
        TestInfra.config()
            .mergeIn(overrides)
            .put(ConfigKeys.HTTP_PORT, overrides.getInteger(ConfigKeys.HTTP_PORT, 0))
            .put(ConfigKeys.PUSH_HTTP_PORT, overrides.getInteger(ConfigKeys.PUSH_HTTP_PORT, 0))
            .put(ConfigKeys.MANAGEMENT_PORT, overrides.getInteger(ConfigKeys.MANAGEMENT_PORT, 0));
    Bootstrap.Running running =
        Await.result(Bootstrap.start(vertx, merged, loaded -> TestClock.CLOCK));
    this.vertx = vertx;
    this.config = running.config();
    this.anonymous =
        ApiClients.webClient(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(config.getInteger(ConfigKeys.HTTP_PORT)),
            new PoolOptions().setHttp1MaxSize(64));
    // with an identity provider's public key instead of a secret, this side cannot sign: no
    // operator token then
    this.http =
        config.getString(ConfigKeys.AUTH_JWT_SECRET).isBlank()
            ? anonymous
            : TestInfra.withToken(anonymous, token("test-operator", TestInfra.OPERATOR_SCOPES));
    this.pg = PgPools.create(vertx, config);
    ContractCheck.serving(port());
  }

  /**
   * Starts every role unless {@code overrides} says otherwise, in a Vert.x of its own, with "today"
   * from {@link TestClock}. The HTTP servers bind any free port unless given one; {@link #port()}
   * and {@link #pushPort()} tell which. The caller {@linkplain #close() closes} it, so no consumer
   * outlives its test; for a whole test class use {@link #perClass} instead.
   */
  public static ServiceUnderTest start(JsonObject overrides) {
    return start(Vertx.vertx(), overrides);
  }

  public static ServiceUnderTest start(Vertx vertx, JsonObject overrides) {
    ServiceUnderTest service = new ServiceUnderTest(null, null);
    service.boot(vertx, overrides);
    return service;
  }

  public static ServiceUnderTest start() {
    return start(new JsonObject());
  }

  /**
   * As {@link #start(JsonObject)}, for a test class: register it with {@code @RegisterExtension} on
   * a static field (see the class comment).
   */
  public static ServiceUnderTest perClass(JsonObject overrides) {
    return perClass(Vertx::vertx, overrides);
  }

  /**
   * As {@link #perClass(JsonObject)}, in the Vert.x {@code vertx} makes (e.g. one with metrics).
   */
  public static ServiceUnderTest perClass(Supplier<Vertx> vertx, JsonObject overrides) {
    return new ServiceUnderTest(vertx, overrides.copy());
  }

  public static ServiceUnderTest perClass() {
    return perClass(new JsonObject());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (vertxFactory == null) {
      throw new IllegalStateException("register ServiceUnderTest.perClass(...), not a started one");
    }
    if (startedFor != null) {
      throw new IllegalStateException(
          "already serving "
              + startedFor
              + ": a per-class service serves one class (no @Nested classes)");
    }
    Vertx made = vertxFactory.get();
    try {
      boot(made, overrides);
    } catch (RuntimeException | Error e) {
      // a half-started service would leave its consumers running into the next test classes
      try {
        Await.result(made.close());
      } catch (RuntimeException | Error closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    startedFor = context.getUniqueId();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (context.getUniqueId().equals(startedFor)) {
      startedFor = null;
      close();
    }
  }

  /** Fails at once where JUnit did not start it: on a field that is not static. */
  @Override
  public void beforeEach(ExtensionContext context) {
    if (vertx == null) {
      throw new IllegalStateException(
          "the per-class service did not start: its @RegisterExtension field must be static");
    }
  }

  /**
   * A bearer token for {@code subject} with {@code scopes}, signed as this service checks them (its
   * secret, issuer and audience), for the Authorization header.
   */
  public String token(String subject, String scopes) {
    return "Bearer " + Tokens.sign(vertx, config, subject, scopes, TestInfra.TOKEN_MINUTES);
  }

  /**
   * A customer's token: it acts for the FinPulse customer {@code customerId} (null: for no
   * customer).
   */
  public String token(String subject, String scopes, String customerId) {
    return "Bearer "
        + Tokens.sign(
            vertx,
            config,
            new JsonObject()
                .put("sub", subject)
                .put("scope", scopes)
                .put(Scopes.CUSTOMER_ID_CLAIM, customerId),
            TestInfra.TOKEN_MINUTES);
  }

  /**
   * Closes the clients, then Vert.x (which undeploys every verticle), waiting from the test thread;
   * then fails if any answer of this service's API port drifted from openapi.yaml ({@link
   * ContractCheck}).
   */
  public void close() {
    long started = System.nanoTime();
    try {
      ContractCheck.stoppedServing(port());
    } finally {
      http.close();
      anonymous.close();
      Await.result(pg.close());
      Await.result(vertx.close(), java.time.Duration.ofSeconds(60));
      LoggerFactory.getLogger(ServiceUnderTest.class)
          .info("Service closed in {} ms", (System.nanoTime() - started) / 1_000_000);
    }
  }

  public int port() {
    return config.getInteger(ConfigKeys.HTTP_PORT);
  }

  /** The port of the quotes WebSocket server. */
  public int pushPort() {
    return config.getInteger(ConfigKeys.PUSH_HTTP_PORT);
  }

  public void truncate(String... tables) {
    Await.result(pg.query("TRUNCATE " + String.join(", ", tables)).execute());
  }

  public RowSet<Row> sql(String sql, Object... args) {
    return Await.result(pg.preparedQuery(sql).execute(Tuple.from(args)));
  }

  /**
   * GET /api/v1/audit-logs for a test that polls it, as a client of its own: the search takes from
   * the caller's expensive rate-limit bucket (x-rate-limit: expensive), so polling may be answered
   * 429 now and then, and must not empty the bucket of the test's other calls. A 429 reads as an
   * empty page, "not yet"; the next poll asks again.
   */
  public Future<JsonObject> pollAuditLogs(Map<String, String> filters) {
    if (auditPoller == null) {
      auditPoller =
          TestInfra.withToken(anonymous, token("audit-log-poller", TestInfra.OPERATOR_SCOPES));
    }
    var request = auditPoller.get("/api/v1/audit-logs");
    filters.forEach(request::addQueryParam);
    return request
        .send()
        .map(
            response ->
                response.statusCode() == 429
                    ? new JsonObject().put("count", 0).put("items", new JsonArray())
                    : response.bodyAsJsonObject());
  }

  public HttpResponse<Buffer> get(String path) {
    return Await.result(http.get(path).send());
  }

  /** The management port: health, and outside dev mode the metrics and the docs. */
  public int managementPort() {
    return config.getInteger(ConfigKeys.MANAGEMENT_PORT);
  }

  /** A GET on the management port. */
  public HttpResponse<Buffer> management(String path) {
    return Await.result(anonymous.get(managementPort(), "127.0.0.1", path).send());
  }

  /**
   * The service's own Prometheus endpoint, wherever it is served (the Vert.x must have been built
   * with metrics).
   */
  public String scrape() {
    return ManagementSettings.metricsAndDocsHere(config)
        ? management("/metrics").bodyAsString()
        : get("/metrics").bodyAsString();
  }

  /** A value from {@link #scrape()}. */
  public double metric(String name) {
    java.util.regex.Matcher line =
        java.util.regex.Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$")
            .matcher(scrape());
    if (!line.find()) {
      throw new AssertionError(name + " not in /metrics");
    }
    return Double.parseDouble(line.group(2));
  }

  public HttpResponse<Buffer> delete(String path) {
    return Await.result(http.delete(path).send());
  }

  public HttpResponse<Buffer> postJson(String path, JsonObject body) {
    return Await.result(http.post(path).sendJsonObject(body));
  }

  public Future<HttpResponse<Buffer>> postJsonAsync(String path, JsonObject body) {
    return http.post(path).sendJsonObject(body);
  }

  public HttpResponse<Buffer> postRaw(String path, String contentType, Buffer body) {
    return Await.result(http.post(path).putHeader("content-type", contentType).sendBuffer(body));
  }

  /** A port nothing listens on, as the address of a server that must be unreachable. */
  public static int unusedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
