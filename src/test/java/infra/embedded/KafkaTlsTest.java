package infra.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import support.Await;
import support.ServiceUnderTest;

/**
 * KAFKA_CLIENT_* settings reach every Kafka client: against a broker that has a TLS listener with a
 * certificate made here, the service told security.protocol=SSL and the certificate as its PEM
 * trust store produces a record (POST /records), consumes it and stores it, and its health check's
 * admin client reaches the broker too.
 */
@Tag("integration")
class KafkaTlsTest {
  @Test
  void theServiceTalksToKafkaOverTls() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    String chain = Files.readString(Path.of(certificate.certificatePath()));
    String key = Files.readString(Path.of(certificate.privateKeyPath()));
    try (EmbeddedKafka broker =
        EmbeddedKafka.startWithTls(
            Path.of("target", "embedded-test", "kafka-tls"),
            new EmbeddedKafka.TlsListener(chain, key))) {
      ServiceUnderTest service =
          ServiceUnderTest.start(
              new JsonObject()
                  .put(ConfigKeys.ROLES, "api,records")
                  .put(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, broker.tlsBootstrapServers())
                  .put("KAFKA_CLIENT_SECURITY_PROTOCOL", "SSL")
                  .put("KAFKA_CLIENT_SSL_TRUSTSTORE_TYPE", "PEM")
                  .put("KAFKA_CLIENT_SSL_TRUSTSTORE_CERTIFICATES", chain)
                  // the certificate names localhost; the broker is reached as 127.0.0.1
                  .put("KAFKA_CLIENT_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", ""));
      try {
        String id = "TLS-" + UUID.randomUUID();
        JsonObject record =
            new JsonObject()
                .put("recordId", id)
                .put("time", Instant.now().toString())
                .put("sourceId", "source-a")
                .put("destinationId", "D-TLS")
                .put("type", "positive")
                .put("value", new BigDecimal("2.5"))
                .put("unit", "SEK")
                .put("reference", "tls");
        assertEquals(202, service.postJson("/records", record).statusCode(), "produced over TLS");
        Await.until(
            "the record consumed over TLS and stored",
            Duration.ofSeconds(60),
            () ->
                service
                        .sql("SELECT count(*) FROM records WHERE record_id = $1", id)
                        .iterator()
                        .next()
                        .getLong(0)
                    == 1);
        JsonObject health = service.get("/api/v1/health").bodyAsJsonObject();
        assertEquals("up", health.getJsonObject("services").getString("kafka"), health.encode());
      } finally {
        service.close();
      }
    } finally {
      certificate.delete();
    }
  }
}
