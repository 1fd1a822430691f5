package trades;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.ApiClients;
import support.Await;
import support.ServiceUnderTest;
import support.TestClock;
import support.TestInfra;
import support.Trades;

/** The trade REST API through real HTTP against real PostgreSQL. */
@Tag("integration")
class TradeApiTest {
  private static final String TRADES = "/api/v1/trades";
  private static final LocalDate TODAY = TestClock.today();
  @RegisterExtension static final ServiceUnderTest service = ServiceUnderTest.perClass();

  @BeforeEach
  void cleanTable() {
    service.truncate("trades");
  }

  private static JsonObject trade(String id, int version, String book, LocalDate maturity) {
    return Trades.json(id, version, book, maturity);
  }

  private static Row storedRow(String id) {
    var rows = service.sql("SELECT * FROM trades WHERE trade_id = $1", id);
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  private static void assertError(
      HttpResponse<Buffer> response, int status, String code, String field) {
    assertEquals("application/json", response.getHeader("content-type"), response::bodyAsString);
    assertError(response.statusCode(), response.body(), status, code, field);
  }

  private static void assertError(
      int actualStatus, Buffer responseBody, int status, String code, String field) {
    assertEquals(status, actualStatus, responseBody::toString);
    JsonObject body = responseBody.toJsonObject();
    assertEquals(code, body.getString("error"), body::encode);
    assertEquals(field, body.getString("field"), body::encode);
    assertNotNull(body.getString("message"));
  }

  @Test
  void createReturns201WithTheStoredTrade() {
    JsonObject t = trade("T1", 1, "B1", TODAY.plusDays(30));
    HttpResponse<Buffer> response = service.postJson(TRADES, t);
    assertEquals(201, response.statusCode(), response::bodyAsString);
    assertEquals(TRADES + "/T1", response.getHeader("Location"));
    assertEquals(t, response.bodyAsJsonObject());
    Row row = storedRow("T1");
    assertEquals(1, row.getInteger("version"));
    assertEquals("B1", row.getString("book_id"));
    assertNotNull(row.getOffsetDateTime("last_updated"));
  }

  @Test
  void theLocationOfATradeWhoseIdIsNotAPathSegmentIsPercentEncodedAndLeadsToIt() {
    String id = "T 1/%zz+é";
    HttpResponse<Buffer> response =
        service.postJson(TRADES, trade(id, 1, "B1", TODAY.plusDays(30)));
    assertEquals(201, response.statusCode(), response::bodyAsString);
    String location = response.getHeader("Location");
    assertEquals(TRADES + "/T%201%2F%25zz%2B%C3%A9", location);
    HttpResponse<Buffer> followed = service.get(location);
    assertEquals(200, followed.statusCode(), followed::bodyAsString);
    assertEquals(id, followed.bodyAsJsonObject().getString("trade_id"));
  }

  @Test
  void sameVersionReplacesTheStoredTrade() {
    service.postJson(TRADES, trade("T1", 2, "B1", TODAY.plusDays(30)));
    HttpResponse<Buffer> response =
        service.postJson(TRADES, trade("T1", 2, "B9", TODAY.plusDays(60)));
    assertEquals(200, response.statusCode(), response::bodyAsString);
    assertEquals("REPLACED", response.getHeader("X-Upsert-Outcome"));
    Row row = storedRow("T1");
    assertEquals("B9", row.getString("book_id"));
    assertEquals(TODAY.plusDays(60), row.getLocalDate("maturity_date"));
  }

  @Test
  void higherVersionIsAccepted() {
    service.postJson(TRADES, trade("T1", 1, "B1", TODAY.plusDays(30)));
    HttpResponse<Buffer> response =
        service.postJson(TRADES, trade("T1", 5, "B2", TODAY.plusDays(30)));
    assertEquals(200, response.statusCode(), response::bodyAsString);
    assertEquals("UPDATED", response.getHeader("X-Upsert-Outcome"));
    assertEquals(5, storedRow("T1").getInteger("version"));
  }

  @Test
  void lowerVersionIsRejectedAndTheStoredTradeIsKept() {
    service.postJson(TRADES, trade("T1", 3, "B1", TODAY.plusDays(30)));
    HttpResponse<Buffer> response =
        service.postJson(TRADES, trade("T1", 2, "B2", TODAY.plusDays(30)));
    assertError(response, 400, "INVALID_VERSION", "version");
    assertTrue(response.bodyAsJsonObject().getString("message").contains("3"));
    Row row = storedRow("T1");
    assertEquals(3, row.getInteger("version"));
    assertEquals("B1", row.getString("book_id"));
  }

  @Test
  void maturityBeforeTodayIsRejectedAndNothingIsStored() {
    assertError(
        service.postJson(TRADES, trade("T1", 1, "B1", TODAY.minusDays(1))),
        400,
        "INVALID_MATURITY_DATE",
        "maturity_date");
    assertNull(storedRow("T1"));
  }

  @Test
  void maturityTodayIsAccepted() {
    assertEquals(201, service.postJson(TRADES, trade("T1", 1, "B1", TODAY)).statusCode());
  }

  @Test
  void malformedBodiesGetMalformedJson() {
    assertError(
        service.postRaw(TRADES, "application/json", Buffer.buffer("{\"trade_id\": ")),
        400,
        "MALFORMED_JSON",
        null);
    assertError(
        service.postRaw(TRADES, "application/json", Buffer.buffer("[1,2]")),
        400,
        "MALFORMED_JSON",
        null);
    assertError(
        service.postRaw(TRADES, "application/json", Buffer.buffer("")),
        400,
        "MALFORMED_JSON",
        null);
    assertError(
        service.postRaw(TRADES, "application/json", Buffer.buffer("\"T1\"")),
        400,
        "MALFORMED_JSON",
        null);
  }

  /**
   * Past 32 levels a body is refused on every body endpoint, also where the parser would accept it:
   * a portfolio 1 000 levels deep was stored, then its outbox event could not be parsed back, and
   * the outbox stalled on it.
   */
  @Test
  void deeplyNestedBodiesAreRefused() {
    for (String path : List.of(TRADES, "/records", "/api/v1/seed")) {
      for (int depth : List.of(33, 999, 10_000)) {
        Buffer nested =
            Buffer.buffer(
                "{\"portfolio_id\":\"DEEP\",\"a\":"
                    + "[".repeat(depth - 1)
                    + "]".repeat(depth - 1)
                    + "}");
        assertError(service.postRaw(path, "application/json", nested), 400, "MALFORMED_JSON", null);
      }
    }
    assertEquals(
        0,
        service
            .sql("SELECT count(*) FROM portfolios WHERE portfolio_id = 'DEEP'")
            .iterator()
            .next()
            .getLong(0));
  }

  @Test
  void wrongTypesMissingFieldsNegativeVersionsAndLongIdsNameTheField() {
    JsonObject valid = trade("T1", 1, "B1", TODAY.plusDays(1));
    assertError(
        service.postJson(TRADES, valid.copy().put("version", "1")),
        400,
        "INVALID_FIELD",
        "version");
    assertError(
        service.postJson(TRADES, valid.copy().put("version", -1)), 400, "INVALID_FIELD", "version");
    assertError(
        service.postJson(TRADES, valid.copy().put("version", 1.5)),
        400,
        "INVALID_FIELD",
        "version");
    assertError(
        service.postJson(TRADES, valid.copy().put("trade_id", "x".repeat(51))),
        400,
        "INVALID_FIELD",
        "trade_id");
    assertError(
        service.postJson(TRADES, valid.copy().put("maturity_date", "tomorrow")),
        400,
        "INVALID_FIELD",
        "maturity_date");
    assertError(
        service.postJson(TRADES, valid.copy().put("expired", "no")),
        400,
        "INVALID_FIELD",
        "expired");
    JsonObject missing = valid.copy();
    missing.remove("book_id");
    assertError(service.postJson(TRADES, missing), 400, "MISSING_FIELD", "book_id");
    assertEquals(0, service.sql("SELECT count(*) FROM trades").iterator().next().getLong(0));
  }

  @Test
  void oversizedBodyGets413() {
    JsonObject huge = trade("T1", 1, "B1", TODAY.plusDays(1)).put("padding", "x".repeat(70 * 1024));
    assertError(service.postJson(TRADES, huge), 413, "PAYLOAD_TOO_LARGE", null);
  }

  @Test
  void nonJsonContentTypeGets415() {
    assertError(
        service.postRaw(TRADES, "text/plain", Buffer.buffer("T1")),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        null);
  }

  /**
   * Form, multipart and binary bodies used to reach the form decoder first: a 500 (an invalid hex
   * byte) or a 503 ("Bad end of line", a field too long) for a client's mistake. Now refused by
   * content type, unread.
   */
  @Test
  void formMultipartAndBinaryBodiesGet415WithoutBeingDecoded() {
    for (String path : List.of(TRADES, "/records", "/api/v1/seed", "/api/v1/expire-trades")) {
      nonJsonBodies()
          .forEach(
              (type, body) ->
                  assertError(
                      service.postRaw(path, type, body), 415, "UNSUPPORTED_MEDIA_TYPE", null));
    }
    assertEquals(
        201, service.postJson(TRADES, trade("T1", 1, "B1", TODAY.plusDays(1))).statusCode());
  }

  /** Bodies the form decoder used to choke on, by content type. */
  private static Map<String, Buffer> nonJsonBodies() {
    byte[] binary = new byte[4_096];
    new Random(7).nextBytes(binary);
    return Map.of(
        "application/x-www-form-urlencoded", Buffer.buffer("a=%G1&%zz=" + "x".repeat(20_000)),
        "application/x-www-form-urlencoded; charset=utf-8", Buffer.buffer("a=b\r\nc=%"),
        "multipart/form-data; boundary=B", Buffer.buffer("--B\r\nbroken"),
        "multipart/form-data",
            Buffer.buffer(
                "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--B--\r\n"),
        "application/octet-stream", Buffer.buffer(binary),
        "text/plain", Buffer.buffer(binary));
  }

  /**
   * A refused body is drained, not left on the connection: on one keep-alive connection, each
   * refused request is followed by a valid write that succeeds over the same connection.
   */
  @Test
  void refusedBodiesLeaveTheKeepAliveConnectionUsable() {
    HttpClient oneConnection =
        ApiClients.httpClient(
            service.vertx,
            new HttpClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(1));
    Buffer oversized =
        trade("T0", 1, "B1", TODAY.plusDays(1)).put("padding", "x".repeat(300_000)).toBuffer();
    record Refusal(Exchange request, int status, String code) {}
    List<Refusal> refusals =
        List.of(
            new Refusal(
                new Exchange(
                    HttpMethod.POST,
                    TRADES,
                    "application/x-www-form-urlencoded",
                    Buffer.buffer("a=%G1&b=" + "x".repeat(300_000))),
                415,
                "UNSUPPORTED_MEDIA_TYPE"),
            new Refusal(
                new Exchange(
                    HttpMethod.POST,
                    "/records",
                    "multipart/form-data; boundary=B",
                    Buffer.buffer("--B\r\nbroken")),
                415,
                "UNSUPPORTED_MEDIA_TYPE"),
            new Refusal(
                new Exchange(
                    HttpMethod.POST,
                    "/api/v1/expire-trades",
                    "application/octet-stream",
                    oversized),
                415,
                "UNSUPPORTED_MEDIA_TYPE"),
            new Refusal(
                new Exchange(HttpMethod.POST, TRADES, "application/json", oversized),
                413,
                "PAYLOAD_TOO_LARGE"),
            new Refusal(
                new Exchange(HttpMethod.POST, TRADES, "application/json", oversized, true),
                401,
                "UNAUTHORIZED"),
            new Refusal(
                new Exchange(HttpMethod.PUT, TRADES, "application/json", oversized),
                405,
                "METHOD_NOT_ALLOWED"),
            new Refusal(
                new Exchange(HttpMethod.DELETE, TRADES + "/NOPE", "text/plain", oversized),
                404,
                "NOT_FOUND"),
            new Refusal(
                new Exchange(HttpMethod.GET, "/nowhere", "text/plain", oversized),
                404,
                "NOT_FOUND"));
    try {
      int written = 0;
      for (Refusal refusal : refusals) {
        Answer refused = Await.result(refusal.request().send(oneConnection));
        assertEquals(refusal.status(), refused.status(), () -> refusal + ": " + refused.body());
        assertEquals(refusal.code(), refused.body().toJsonObject().getString("error"));
        Answer next =
            Await.result(
                new Exchange(
                        HttpMethod.POST,
                        TRADES,
                        "application/json",
                        trade("KA" + written++, 1, "B1", TODAY.plusDays(1)).toBuffer())
                    .send(oneConnection));
        assertEquals(201, next.status(), () -> "after " + refusal + ": " + next.body());
        assertEquals(
            refused.localPort(),
            next.localPort(),
            () -> "the connection was dropped after " + refusal);
      }
    } finally {
      Await.result(oneConnection.close());
    }
  }

  /** Bad percent escapes used to throw inside the router or a handler: a 500. */
  @Test
  void undecodablePathOrQueryGets400() {
    HttpClient raw = ApiClients.httpClient(service.vertx);
    try {
      for (String uri :
          List.of(TRADES + "?page=%zz", "/api/v1/quotes?symbols=%", TRADES + "/%zz")) {
        Answer answer = Await.result(new Exchange(HttpMethod.GET, uri, null, null).send(raw));
        assertError(
            answer.status(),
            answer.body(),
            400,
            uri.contains("?") ? "INVALID_PARAMETER" : "MALFORMED_REQUEST",
            uri.contains("?") ? "query" : "path");
      }
    } finally {
      Await.result(raw.close());
    }
  }

  @Test
  void getByIdReturnsTheTradeOr404() {
    service.postJson(TRADES, trade("T1", 1, "B1", TODAY.plusDays(1)));
    HttpResponse<Buffer> found = service.get(TRADES + "/T1");
    assertEquals(200, found.statusCode());
    assertEquals("T1", found.bodyAsJsonObject().getString("trade_id"));
    assertError(service.get(TRADES + "/NOPE"), 404, "NOT_FOUND", "trade_id");
    assertError(service.get(TRADES + "/" + "x".repeat(51)), 400, "INVALID_FIELD", "trade_id");
  }

  @Test
  void deleteRemovesTheTradeThen404s() {
    service.postJson(TRADES, trade("T1", 1, "B1", TODAY.plusDays(1)));
    assertEquals(204, service.delete(TRADES + "/T1").statusCode());
    assertNull(storedRow("T1"));
    assertError(service.delete(TRADES + "/T1"), 404, "NOT_FOUND", "trade_id");
  }

  @Test
  void listIsPaginatedWithTotalAndNextLink() {
    IntStream.rangeClosed(1, 7)
        .forEach(i -> service.postJson(TRADES, trade("T" + i, 1, "B1", TODAY.plusDays(i))));
    JsonObject first = service.get(TRADES + "?page=1&size=3").bodyAsJsonObject();
    assertEquals(7, first.getLong("total"));
    assertEquals(1, first.getInteger("page"));
    assertEquals(List.of("T1", "T2", "T3"), ids(first));
    assertTrue(
        first.getString("next").startsWith(TRADES + "?cursor="),
        "next carries the cursor: " + first);
    assertEquals(
        first.getString("next"), TRADES + "?cursor=" + first.getString("next_cursor") + "&size=3");
    JsonObject second = service.get(first.getString("next")).bodyAsJsonObject();
    assertEquals(List.of("T4", "T5", "T6"), ids(second));
    assertFalse(second.containsKey("page"), "a cursor page has no page number");
    JsonObject last = service.get(second.getString("next")).bodyAsJsonObject();
    assertEquals(List.of("T7"), ids(last));
    assertNull(last.getString("next"));
    assertEquals(
        List.of("T7"),
        ids(service.get(TRADES + "?page=3&size=3").bodyAsJsonObject()),
        "page/size still work");
    JsonObject defaults = service.get(TRADES).bodyAsJsonObject();
    assertEquals(50, defaults.getInteger("size"));
    assertEquals(7, ids(defaults).size());
  }

  @Test
  void badPagingParametersAreRejected() {
    assertError(service.get(TRADES + "?size=0"), 400, "INVALID_PARAMETER", "size");
    assertError(service.get(TRADES + "?size=501"), 400, "INVALID_PARAMETER", "size");
    assertError(service.get(TRADES + "?page=abc"), 400, "INVALID_PARAMETER", "page");
  }

  @Test
  void listByBookReturnsOnlyThatBook() {
    service.postJson(TRADES, trade("T1", 1, "B1", TODAY.plusDays(1)));
    service.postJson(TRADES, trade("T2", 1, "B2", TODAY.plusDays(1)));
    service.postJson(TRADES, trade("T3", 1, "B2", TODAY.plusDays(1)));
    JsonObject page = service.get(TRADES + "/book/B2?size=1").bodyAsJsonObject();
    assertEquals(2, page.getLong("total"));
    assertEquals(List.of("T2"), ids(page));
    assertEquals(List.of("T3"), ids(service.get(page.getString("next")).bodyAsJsonObject()));
    assertEquals(0, service.get(TRADES + "/book/NONE").bodyAsJsonObject().getLong("total"));
  }

  @Test
  void correlationIdIsEchoedOrGenerated() {
    HttpResponse<Buffer> given =
        Await.result(service.http.get(TRADES).putHeader("X-Correlation-ID", "abc-123").send());
    assertEquals("abc-123", given.getHeader("X-Correlation-ID"));
    String generated = service.get(TRADES).getHeader("X-Correlation-ID");
    assertNotNull(generated);
    assertEquals(36, generated.length());
  }

  @Test
  void healthReportsPostgresUp() {
    HttpResponse<Buffer> response = service.get("/api/v1/health");
    assertEquals(200, response.statusCode(), response::bodyAsString);
    assertEquals("up", response.bodyAsJsonObject().getJsonObject("services").getString("postgres"));
  }

  @Test
  void unknownRoutesAndMethodsGetJsonErrors() {
    assertError(service.get("/api/v1/nothing-here"), 404, "NOT_FOUND", null);
    assertError(Await.result(service.http.put(TRADES).send()), 405, "METHOD_NOT_ALLOWED", null);
  }

  @Test
  void concurrentWritesOfOneTradeLeaveTheHighestVersion() {
    List<Integer> versions = new ArrayList<>(IntStream.rangeClosed(1, 50).boxed().toList());
    Collections.shuffle(versions, new Random(42));
    List<Future<HttpResponse<Buffer>>> responses =
        versions.stream()
            .map(v -> service.postJsonAsync(TRADES, trade("RACE", v, "B" + v, TODAY.plusDays(1))))
            .toList();
    Await.result(Future.join(responses));
    long created = responses.stream().filter(r -> r.result().statusCode() == 201).count();
    assertEquals(1, created);
    responses.forEach(
        r -> {
          int status = r.result().statusCode();
          assertTrue(status == 200 || status == 201 || status == 400, () -> "unexpected " + status);
          if (status == 400) {
            assertEquals("INVALID_VERSION", r.result().bodyAsJsonObject().getString("error"));
          }
        });
    Row row = storedRow("RACE");
    assertEquals(50, row.getInteger("version"));
    assertEquals("B50", row.getString("book_id"));
  }

  private static List<String> ids(JsonObject page) {
    JsonArray items = page.getJsonArray("items");
    return items.stream().map(o -> ((JsonObject) o).getString("trade_id")).toList();
  }

  /**
   * One request over a plain HttpClient, for URIs and bodies the WebClient would not send as they
   * are; with the operator's token unless {@code anonymous}.
   */
  private record Exchange(
      HttpMethod method, String uri, String contentType, Buffer body, boolean anonymous) {
    Exchange(HttpMethod method, String uri, String contentType, Buffer body) {
      this(method, uri, contentType, body, false);
    }

    /**
     * The body is read in the same callback that receives the response head, so none of it can be
     * missed.
     */
    Future<Answer> send(HttpClient client) {
      RequestOptions options =
          new RequestOptions()
              .setMethod(method)
              .setHost("127.0.0.1")
              .setPort(service.port())
              .setURI(uri);
      if (!anonymous) {
        options.putHeader(
            "Authorization", service.token("trade-api-test", TestInfra.OPERATOR_SCOPES));
      }
      if (contentType != null) {
        options.putHeader("content-type", contentType);
      }
      return client
          .request(options)
          .compose(
              request ->
                  (body == null ? request.send() : request.send(body))
                      .compose(
                          response ->
                              response
                                  .body()
                                  .map(
                                      received ->
                                          new Answer(
                                              response.statusCode(),
                                              received,
                                              request.connection().localAddress().port()))));
    }

    @Override
    public String toString() {
      return method
          + " "
          + uri
          + " ["
          + contentType
          + ", "
          + (body == null ? 0 : body.length())
          + " bytes]";
    }
  }

  private record Answer(int status, Buffer body, int localPort) {}
}
