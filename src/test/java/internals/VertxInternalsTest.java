package internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonDocumentReader;
import org.bson.BsonDocumentWriter;
import org.bson.codecs.DecoderContext;
import org.bson.codecs.EncoderContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Vert.x internals {@link VertxInternals} uses, checked against the releases they were read in:
 * an upgrade of vertx-core, vertx-openapi or vertx-mongo-client fails {@link
 * #theReleasesTheAdapterWasCheckedAgainst} until someone reads the internals again (still there,
 * still needed) and updates the versions here. The other cases check what each internal does for
 * us.
 */
@Tag("unit")
class VertxInternalsTest {
  private static final Map<String, String> CHECKED_AGAINST =
      Map.of("vertx-core", "5.0.8", "vertx-openapi", "5.0.8", "vertx-mongo-client", "5.0.8");

  @Test
  void theReleasesTheAdapterWasCheckedAgainst() throws IOException {
    for (Map.Entry<String, String> artifact : CHECKED_AGAINST.entrySet()) {
      assertEquals(
          artifact.getValue(),
          version(artifact.getKey()),
          artifact.getKey()
              + " was upgraded: check every use in internals.VertxInternals against its sources,"
              + " then update this test");
    }
  }

  @Test
  void theMongoCodecRoundTripsAJsonObject() {
    JsonObject document =
        new JsonObject()
            .put("trade_id", "T1")
            .put("version", 3)
            .put("nested", new JsonObject().put("ok", true));
    BsonDocument bson = new BsonDocument();
    VertxInternals.mongoJsonCodec(new JsonObject())
        .encode(new BsonDocumentWriter(bson), document, EncoderContext.builder().build());
    JsonObject back =
        VertxInternals.mongoJsonCodec(new JsonObject())
            .decode(new BsonDocumentReader(bson), DecoderContext.builder().build());
    assertEquals(document, back);
  }

  @Test
  void requestDataExistsOnADuplicatedContextOnly() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<Boolean> onEventLoop = new CompletableFuture<>();
      vertx.runOnContext(v -> onEventLoop.complete(VertxInternals.requestData() == null));
      assertEquals(
          true,
          onEventLoop.get(10, TimeUnit.SECONDS),
          "a shared event-loop context has no request data");
      CompletableFuture<Object> onRequest = new CompletableFuture<>();
      vertx
          .createHttpServer()
          .requestHandler(
              request -> {
                Map<Object, Object> data = VertxInternals.requestData();
                assertNotNull(data, "an HTTP request runs on a duplicated context");
                data.put("k", "v");
                onRequest.complete(VertxInternals.requestData().get("k"));
                request.response().end();
              })
          .listen(0, "127.0.0.1")
          .compose(
              server ->
                  vertx
                      .createHttpClient()
                      .request(
                          io.vertx.core.http.HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
                      .compose(request -> request.send()))
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      assertEquals("v", onRequest.get(10, TimeUnit.SECONDS));
      assertNull(VertxInternals.requestData(), "no context on a test thread");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static String version(String artifact) throws IOException {
    try (InputStream in =
        VertxInternals.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/io.vertx/" + artifact + "/pom.properties")) {
      assertNotNull(in, "no pom.properties of " + artifact + " on the classpath");
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    }
  }
}
