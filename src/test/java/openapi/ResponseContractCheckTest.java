package openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import support.ApiClients;
import support.Await;
import support.ContractCheck;

/**
 * The response check of the integration tests ({@link ContractCheck}) can fail: a drifted answer is
 * named, by itself and through the clients the tests use, chunked or not; a conforming one, and one
 * the contract does not describe, pass. No service: answers are made up here.
 */
@Tag("unit")
class ResponseContractCheckTest {
  private static final JsonObject NOT_FOUND =
      new JsonObject().put("error", "NOT_FOUND").put("message", "no such trade").putNull("field");
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  private static MultiMap json() {
    return MultiMap.caseInsensitiveMultiMap()
        .add("content-type", "application/json; charset=utf-8");
  }

  private static String verdict(
      HttpMethod method, String uri, int status, MultiMap headers, Object body) {
    return Await.result(
        ContractCheck.verdict(method, uri, status, headers, Buffer.buffer(body.toString())));
  }

  @Test
  void aBodyMissingARequiredFieldIsADrift() {
    String drift =
        verdict(
            HttpMethod.GET,
            "/api/v1/trades/T1?x=1",
            200,
            json(),
            new JsonObject().put("trade_id", "T1"));
    assertTrue(drift != null && drift.startsWith("getTrade 200: "), drift);
    assertTrue(drift.contains("version"), "names what is missing: " + drift);
  }

  /**
   * The trade itself, but answered 201 where getTrade lists 200: its default is for errors only.
   */
  @Test
  void anUndeclaredStatusIsADrift() {
    JsonObject trade =
        new JsonObject()
            .put("trade_id", "T1")
            .put("version", 1)
            .put("counter_party_id", "CP")
            .put("book_id", "B1")
            .put("maturity_date", "2030-01-01")
            .put("created_date", "2024-01-01")
            .put("expired", false);
    assertNull(verdict(HttpMethod.GET, "/api/v1/trades/T1", 200, json(), trade));
    String drift = verdict(HttpMethod.GET, "/api/v1/trades/T1", 201, json(), trade);
    assertTrue(drift != null && drift.startsWith("getTrade 201: "), drift);
  }

  /**
   * An error status no operation lists falls to the default, the contract's Error: a body of
   * another shape drifts.
   */
  @Test
  void anErrorOutsideTheListedOnesMustStillBeAnError() {
    assertNull(
        verdict(
            HttpMethod.GET,
            "/api/v1/health",
            429,
            json(),
            NOT_FOUND.copy().put("error", "RATE_LIMITED")));
    String drift =
        verdict(
            HttpMethod.GET, "/api/v1/health", 418, json(), new JsonObject().put("teapot", true));
    assertTrue(drift != null && drift.startsWith("getHealth 418: "), drift);
  }

  @Test
  void anotherMediaTypeOrNoBodyIsADrift() {
    MultiMap text = MultiMap.caseInsensitiveMultiMap().add("content-type", "text/plain");
    assertTrue(
        verdict(HttpMethod.GET, "/api/v1/trades/T1", 404, text, "not found")
            .startsWith("getTrade 404: "));
    assertTrue(
        verdict(HttpMethod.GET, "/api/v1/trades/T1", 404, json(), "").startsWith("getTrade 404: "));
  }

  @Test
  void aConformingAnswerPasses() {
    assertNull(verdict(HttpMethod.GET, "/api/v1/trades/T1/", 404, json(), NOT_FOUND));
    assertNull(
        verdict(
            HttpMethod.DELETE, "/api/v1/trades/T1", 204, MultiMap.caseInsensitiveMultiMap(), ""));
  }

  /**
   * Unknown paths and methods, pages, the Prometheus text and the WebSocket upgrade: nothing to
   * check against.
   */
  @Test
  void whatTheContractDoesNotDescribeIsLeftAlone() {
    MultiMap text = MultiMap.caseInsensitiveMultiMap().add("content-type", "text/html");
    assertNull(verdict(HttpMethod.GET, "/nowhere", 404, text, "<p>"));
    assertNull(verdict(HttpMethod.PUT, "/api/v1/trades", 405, text, "<p>"));
    assertNull(verdict(HttpMethod.GET, "/metrics", 404, text, "<p>"));
    assertNull(verdict(HttpMethod.GET, "/", 200, text, "<p>"));
    assertNull(verdict(HttpMethod.GET, "/docs", 200, text, "<p>"));
    assertNull(verdict(HttpMethod.GET, "/ws/quotes", 426, text, "<p>"));
  }

  /**
   * Through a checked WebClient and a checked HttpClient, a chunked answer missing required fields
   * fails the service that gave it when it stops; another port's answers are not its business.
   */
  @Test
  void aDriftedChunkedAnswerFailsTheServiceWhenItStops() {
    HttpServer stub =
        Await.result(
            vertx
                .createHttpServer()
                .requestHandler(
                    request ->
                        request
                            .response()
                            .setChunked(true)
                            .putHeader("content-type", "application/json")
                            .write("{\"trade_id\":")
                            .compose(v -> request.response().end("\"T1\"}")))
                .listen(0, "127.0.0.1"));
    int port = stub.actualPort();
    WebClient web =
        ApiClients.webClient(
            vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    HttpClient plain = ApiClients.httpClient(vertx);
    try {
      assertEquals(
          200,
          Await.result(web.get("/api/v1/trades/T1").send()).statusCode(),
          "not yet an API port");
      ContractCheck.serving(port);
      assertEquals(
          "chunked",
          Await.result(web.get("/api/v1/trades/T1").send()).getHeader("transfer-encoding"));
      assertEquals(
          "{\"trade_id\":\"T1\"}",
          Await.result(
                  plain
                      .request(
                          new RequestOptions()
                              .setHost("127.0.0.1")
                              .setPort(port)
                              .setURI("/api/v1/trades/T1"))
                      .compose(request -> request.send())
                      .compose(response -> response.body()))
              .toString(),
          "the test still reads the whole body");
      AssertionError drifted =
          assertThrows(AssertionError.class, () -> ContractCheck.stoppedServing(port));
      assertTrue(
          drifted.getMessage().contains("getTrade 200 (GET /api/v1/trades/T1, 2x): "),
          drifted.getMessage());
      ContractCheck.stoppedServing(port);
    } finally {
      web.close();
      Await.result(plain.close());
      Await.result(stub.close());
    }
  }
}
