package support;

import app.Bootstrap;
import contract.ConfigKeys;
import contract.Scopes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
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
import org.slf4j.LoggerFactory;
import security.Tokens;
import settings.ManagementSettings;
import store.PgPools;

/**
 * The whole service deployed in a test's Vert.x against the shared real infrastructure, as it ships
 * (auth and the rate limit on), plus clients.
 */
public final class ServiceUnderTest {
  public final Vertx vertx;
  public final JsonObject config;

  /** Sends an operator's bearer token with every request ({@link TestInfra#withToken}). */
  public final WebClient http;

  /** Sends no token, as an anonymous client does. */
  public final WebClient anonymous;

  public final Pool pg;
  private final Bootstrap.Running running;

  private ServiceUnderTest(Vertx vertx, Bootstrap.Running running) {
    this.vertx = vertx;
    this.running = running;
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
   * and {@link #pushPort()} tell which. Call {@link #close()} in @AfterAll, so no consumer outlives
   * its test class.
   */
  public static ServiceUnderTest start(JsonObject overrides) {
    return start(Vertx.vertx(), overrides);
  }

  public static ServiceUnderTest start(Vertx vertx, JsonObject overrides) {
    JsonObject config =
        TestInfra.config()
            .mergeIn(overrides)
            .put(ConfigKeys.HTTP_PORT, overrides.getInteger(ConfigKeys.HTTP_PORT, 0))
            .put(ConfigKeys.PUSH_HTTP_PORT, overrides.getInteger(ConfigKeys.PUSH_HTTP_PORT, 0))
            .put(ConfigKeys.MANAGEMENT_PORT, overrides.getInteger(ConfigKeys.MANAGEMENT_PORT, 0));
    return new ServiceUnderTest(
        vertx, Await.result(Bootstrap.start(vertx, config, loaded -> TestClock.CLOCK)));
  }

  public static ServiceUnderTest start() {
    return start(new JsonObject());
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
