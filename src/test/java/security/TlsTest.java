package security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import push.QuoteProtocol;
import store.PgPools;
import store.SchemaMigrator;
import support.ApiClients;
import support.Await;
import support.ServiceUnderTest;
import support.TestInfra;

/**
 * TLS where a user turns it on, each with a self-signed certificate made here: HTTPS and WSS on the
 * service's own servers, and PG_URI's sslmode honoured by the migrations and the pool alike.
 */
@Tag("integration")
class TlsTest {
  private static SelfSignedCertificate certificate;
  private static Vertx vertx;

  @BeforeAll
  static void makeCertificate() {
    certificate = SelfSignedCertificate.create("localhost");
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void close() {
    certificate.delete();
    Await.result(vertx.close());
  }

  @Test
  void theApiAndTheWebSocketServeHttps() {
    ServiceUnderTest service =
        ServiceUnderTest.start(
            new JsonObject()
                .put(ConfigKeys.ROLES, "api,push")
                .put(ConfigKeys.HTTP_TLS_CERT_PATH, certificate.certificatePath())
                .put(ConfigKeys.HTTP_TLS_KEY_PATH, certificate.privateKeyPath()));
    WebClient https =
        ApiClients.webClient(
            vertx,
            new WebClientOptions()
                .setSsl(true)
                .setTrustAll(true)
                .setVerifyHost(false)
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(service.port()));
    WebClient plain =
        ApiClients.webClient(
            vertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(service.port()));
    try {
      var live = Await.result(https.get("/health/live").send());
      assertEquals(200, live.statusCode());
      assertEquals(
          "max-age=31536000", live.getHeader("Strict-Transport-Security"), "HSTS over TLS");
      boolean refused =
          Await.result(
              plain
                  .get("/health/live")
                  .send()
                  .map(response -> response.statusCode() >= 400)
                  .otherwise(true));
      assertTrue(refused, "plain HTTP gets no answer from an HTTPS port");
      WebSocket wss =
          Await.result(
              vertx
                  .createWebSocketClient(
                      new WebSocketClientOptions()
                          .setSsl(true)
                          .setTrustAll(true)
                          .setVerifyHost(false))
                  .connect(
                      TestInfra.socketWithToken(vertx, service.pushPort(), QuoteProtocol.PATH)
                          .setSsl(true)));
      Await.result(wss.close());
    } finally {
      https.close();
      plain.close();
      service.close();
    }
  }

  @Test
  void sslmodeInPgUriIsHonouredByMigrationsAndPool() throws Exception {
    String uri = TestInfra.config().getString(ConfigKeys.PG_URI);
    String requireSsl = uri + (uri.contains("?") ? "&" : "?") + "sslmode=require";
    assertThrows(
        RuntimeException.class,
        () -> SchemaMigrator.migrate(requireSsl, ""),
        "without TLS on the server, a migration told sslmode=require refuses to connect");

    Pool admin = PgPools.create(vertx, TestInfra.config());
    try {
      enableServerTls(admin);
      SchemaMigrator.migrate(requireSsl, "");
      assertEncrypted(TestInfra.config().put(ConfigKeys.PG_URI, requireSsl));

      String verifyCa = uri + (uri.contains("?") ? "&" : "?") + "sslmode=verify-ca";
      SchemaMigrator.migrate(verifyCa, certificate.certificatePath());
      assertEncrypted(
          TestInfra.config()
              .put(ConfigKeys.PG_URI, verifyCa)
              .put(ConfigKeys.PG_SSL_ROOT_CERT, certificate.certificatePath()));
    } finally {
      for (String sql :
          new String[] {
            "ALTER SYSTEM RESET ssl",
            "ALTER SYSTEM RESET ssl_cert_file",
            "ALTER SYSTEM RESET ssl_key_file",
            "SELECT pg_reload_conf()"
          }) {
        Await.result(admin.query(sql).execute());
      }
      Await.result(admin.close());
    }
  }

  private static void assertEncrypted(JsonObject config) {
    Pool secured = PgPools.create(vertx, config);
    try {
      boolean ssl =
          Await.result(
                  secured
                      .query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                      .execute())
              .iterator()
              .next()
              .getBoolean(0);
      assertTrue(
          ssl, "the pool's connection is encrypted with " + config.getString(ConfigKeys.PG_URI));
    } finally {
      Await.result(secured.close());
    }
  }

  /** PostgreSQL turns TLS on at a reload; its key must be readable by the server only. */
  private static void enableServerTls(Pool admin) throws Exception {
    Path dir = Files.createTempDirectory("pg-tls");
    Path cert = Files.copy(Path.of(certificate.certificatePath()), dir.resolve("server.crt"));
    Path key = Files.copy(Path.of(certificate.privateKeyPath()), dir.resolve("server.key"));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    for (Map.Entry<String, String> setting :
        Map.of("ssl_cert_file", cert.toString(), "ssl_key_file", key.toString()).entrySet()) {
      Await.result(
          admin
              .query("ALTER SYSTEM SET " + setting.getKey() + " = '" + setting.getValue() + "'")
              .execute());
    }
    Await.result(admin.query("ALTER SYSTEM SET ssl = on").execute());
    Await.result(admin.query("SELECT pg_reload_conf()").execute());
    support.Await.until(
        "PostgreSQL serves TLS",
        java.time.Duration.ofSeconds(10),
        () ->
            "on"
                .equals(
                    Await.result(admin.query("SHOW ssl").execute())
                        .iterator()
                        .next()
                        .getString(0)));
  }
}
