package reliability;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Generates hostile HTTP requests for {@link HttpFuzzTest}: bodies, content types, methods, paths,
 * queries, headers.
 */
final class FuzzRequests {
  /** Every endpoint that takes a body, or could be sent one. */
  private static final List<Target> BODY_TARGETS =
      List.of(
          new Target(HttpMethod.POST, "/api/v1/trades"),
          new Target(HttpMethod.POST, "/records"),
          new Target(HttpMethod.POST, "/api/v1/seed"),
          new Target(HttpMethod.POST, "/api/v1/expire-trades"),
          new Target(HttpMethod.DELETE, "/api/v1/trades/FZ-gone"),
          // FinPulse resources and the settlement ledger
          new Target(HttpMethod.POST, "/api/v1/customers"),
          new Target(HttpMethod.POST, "/api/v1/orders/batch"),
          new Target(HttpMethod.PUT, "/api/v1/accounts/FZ-a"),
          new Target(HttpMethod.DELETE, "/api/v1/payments/FZ-gone"),
          new Target(HttpMethod.POST, "/api/v1/risk-metrics/compute"),
          new Target(HttpMethod.POST, "/api/v1/risk-metrics/compute-batch"),
          new Target(HttpMethod.POST, "/api/v1/blockchain/transfers"),
          new Target(HttpMethod.POST, "/api/v1/blockchain/seed-balance"));

  private static final List<String> GET_PATHS =
      List.of(
          "/api/v1/trades",
          "/api/v1/trades/X1",
          "/api/v1/trades/book/B1",
          "/api/v1/audit-logs",
          "/api/v1/statistics",
          "/api/v1/health",
          "/health/ready",
          "/health/live",
          "/records/aggregations",
          "/api/v1/quotes",
          "/api/v1/quotes/history",
          "/api/v1/quotes/ohlc",
          "/api/v1/portfolio",
          "/api/v1/dashboard/config",
          "/api/v1/dashboard/ops",
          "/api/v1/customers",
          "/api/v1/orders/X1",
          "/api/v1/trade-executions",
          "/api/v1/risk-metrics",
          "/api/v1/blockchain/blocks",
          "/api/v1/blockchain/blocks/verify",
          "/api/v1/blockchain/blocks/1",
          "/api/v1/blockchain/transactions/X1",
          "/api/v1/blockchain/balances",
          "/",
          "/assets/dashboard.js",
          "/assets/vendor/lightweight-charts.js",
          "/openapi.yaml",
          "/docs",
          "/docs/swagger-ui.css");
  private static final List<String> CONTENT_TYPES =
      List.of(
          "application/json",
          "application/json; charset=utf-16",
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=XyZ",
          "multipart/form-data",
          "application/octet-stream",
          "application/xml",
          "",
          "a/b/c;;;=",
          "application/json;;charset",
          "*/*");
  private static final List<String> PARAMS =
      List.of(
          "page",
          "size",
          "trade_id",
          "action",
          "status",
          "from",
          "to",
          "limit",
          "startTime",
          "endTime",
          "type",
          "symbols",
          "symbol",
          "minutes",
          "interval",
          "portfolio_id",
          "cursor",
          "customer_id",
          "account_id",
          "days");
  private static final List<String> HOSTILE_VALUES =
      List.of(
          "abc",
          "-1",
          "0",
          "99999999999999999999",
          "1e999",
          "NaN",
          "Infinity",
          "%zz",
          "%",
          "%00",
          "%ff%fe",
          "%E2%82",
          "'%20OR%201=1%20--",
          "%3Cscript%3E",
          "..%2F..%2Fetc%2Fpasswd",
          "%C3%A9",
          "2024-13-45T99:99:99Z",
          "null",
          "[]",
          "{}",
          "%F0%9F%92%A9",
          "+",
          "1.5",
          "%207%20",
          "%20%20",
          "2147483648",
          "-2147483649",
          "0x10",
          "1e3",
          "%EF%BC%95",
          "9".repeat(2_000),
          "2024-03-01",
          "yesterday",
          "2024-03-01T00:00:00+25:00",
          "%0d%0aX-Injected:%201");

  private final Random random;
  private final LocalDate today;
  private final List<Supplier<FuzzRequest>> kinds =
      List.of(
          this::malformedJson,
          this::jsonEdgeCases,
          this::wrongTypes,
          this::hugeNumbers,
          this::unicodeAndNul,
          this::overLongStrings,
          this::deepNesting,
          this::anyContentType,
          this::formEncoded,
          this::multipart,
          this::binary,
          this::oversized,
          this::wrongMethod,
          this::unknownPath,
          this::hostileQuery,
          this::oddHeaders,
          this::hostilePathParam);

  /** Where a body goes. */
  private record Target(HttpMethod method, String path) {}

  /** Generated request; {@code contentType} null means no header at all. */
  record FuzzRequest(
      HttpMethod method,
      String uri,
      String contentType,
      Buffer body,
      Map<String, String> headers) {}

  FuzzRequests(Random random, LocalDate today) {
    this.random = random;
    this.today = today;
  }

  List<HttpFuzzTest.Probe> generate(int count) {
    List<HttpFuzzTest.Probe> probes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      FuzzRequest r = kinds.get(random.nextInt(kinds.size())).get();
      probes.add(
          new HttpFuzzTest.Probe(r.method(), r.uri(), r.contentType(), r.body(), r.headers()));
    }
    return probes;
  }

  /** A body sent to any body-taking endpoint. */
  private FuzzRequest withBody(String contentType, Buffer body) {
    Target target = pick(BODY_TARGETS);
    return new FuzzRequest(target.method(), target.path(), contentType, body, Map.of());
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private FuzzRequest post(String body) {
    return withBody("application/json", Buffer.buffer(body));
  }

  /** A valid body for the path's resource, as a starting point for mutations. */
  private JsonObject validBody() {
    return switch (random.nextInt(5)) {
      case 0 ->
          new JsonObject()
              .put("trade_id", "FZ" + random.nextInt(1000))
              .put("version", 1)
              .put("counter_party_id", "CP")
              .put("book_id", "B1")
              .put("maturity_date", today.plusDays(10).toString());
      case 1 ->
          new JsonObject()
              .put("recordId", "FZ" + random.nextInt(1000))
              .put("time", "2024-03-01T12:00:00Z")
              .put("sourceId", "s")
              .put("destinationId", "FZ-d")
              .put("type", "positive")
              .put("value", 1.5)
              .put("unit", "SEK")
              .put("reference", "r");
      case 2 ->
          new JsonObject()
              .put("name", "FZ" + random.nextInt(1000))
              .put("email", "fz@example.com")
              .put("kyc_status", "pending");
      case 3 ->
          new JsonObject()
              .put("sender_account_id", "FZ-a")
              .put("receiver_account_id", "FZ-b")
              .put("amount", "1.5")
              .put("currency", "USD");
      default -> new JsonObject().put("portfolio_id", "FZ-p" + random.nextInt(10)).put("cash", 1);
    };
  }

  private FuzzRequest malformedJson() {
    String valid = validBody().encode();
    return post(
        switch (random.nextInt(8)) {
          case 0 -> valid.substring(0, random.nextInt(valid.length()));
          case 1 -> valid + "garbage";
          case 2 -> "{\"a\":}";
          case 3 -> "{'single': 'quotes'}";
          case 4 -> "[1,2,3]";
          case 5 -> "null";
          case 6 -> "\"just a string\"";
          default -> "{\"a\":1,\"a\":2,}";
        });
  }

  /**
   * JSON that parses, or nearly: odd top-level values, escapes, duplicate keys, numbers spelled
   * oddly.
   */
  private FuzzRequest jsonEdgeCases() {
    String valid = validBody().encode();
    String inner = valid.substring(1, valid.length() - 1);
    return post(
        pick(
            List.of(
                "",
                "   ",
                "\n",
                "null",
                "true",
                "0",
                "\"s\"",
                "[]",
                "[{}]",
                "{}",
                "[" + valid + "]",
                "{\"trade_id\":\"\\u0000\"}",
                "{\"trade_id\":\"\\ud800\"}",
                "{\"trade_id\":\"\\udc00\\ud800x\"}",
                "{\"trade_id\":\"\\u00e9\\u202e\"}",
                "{" + inner + ",\"version\":\"1\"}",
                "{" + inner + ",\"version\":true}",
                "{" + inner + ",\"version\":2,\"version\":1}",
                valid + valid,
                valid + " // comment",
                "\uFEFF" + valid,
                "{" + inner + ",\"version\":" + "9".repeat(1_500) + "}",
                "{" + inner + ",\"version\":-}",
                "{" + inner + ",\"maturity_date\":\"2030-02-30\"}",
                "{" + inner + ",\"maturity_date\":\"+999999999-12-31\"}",
                "{\"" + "k".repeat(60_000) + "\":1}")));
  }

  private FuzzRequest wrongTypes() {
    JsonObject body = validBody();
    String field = pick(new ArrayList<>(body.fieldNames()));
    Object wrong =
        switch (random.nextInt(7)) {
          case 0 -> "x";
          case 1 -> 1.5;
          case 2 -> true;
          case 3 -> new io.vertx.core.json.JsonArray().add(1);
          case 4 -> new JsonObject().put("nested", 1);
          case 5 -> null;
          default -> -7;
        };
    return post(body.put(field, wrong).encode());
  }

  private FuzzRequest hugeNumbers() {
    JsonObject body = validBody();
    String field = pick(new ArrayList<>(body.fieldNames()));
    String number =
        pick(
            List.of(
                "1e999999",
                "99999999999999999999999999999",
                "-99999999999999999999",
                "1.0000000000000000000000000001",
                "1e-999999",
                "NaN",
                "Infinity",
                "-Infinity",
                "-0",
                "0x10",
                "1_000"));
    String encoded = body.encode();
    return post(encoded.replaceFirst("\"" + field + "\":[^,}]*", "\"" + field + "\":" + number));
  }

  private FuzzRequest unicodeAndNul() {
    JsonObject body = validBody();
    String field = pick(new ArrayList<>(body.fieldNames()));
    String value =
        pick(
            List.of(
                "\u0000",
                "a\u0000b",
                "\ud800",
                "\udfff\ud800",
                "\u202eevil",
                "\uFEFF",
                "😀😀",
                "\u0007\u001b[31m",
                "\\",
                "\n\r\t"));
    if (random.nextBoolean()) {
      return post(body.put(field, value).encode());
    }
    // raw, invalid UTF-8 inside a JSON string
    byte[] head = ("{\"" + field + "\":\"").getBytes(StandardCharsets.UTF_8);
    return withBody(
        "application/json",
        Buffer.buffer(head)
            .appendBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, 0})
            .appendString("\"}"));
  }

  private FuzzRequest overLongStrings() {
    JsonObject body = validBody();
    String field = pick(new ArrayList<>(body.fieldNames()));
    return post(
        body.put(field, "x".repeat(pick(List.of(51, 101, 1_000, 30_000, 60_000)))).encode());
  }

  private FuzzRequest deepNesting() {
    int depth = pick(List.of(100, 1_000, 5_000, 10_000, 30_000));
    String nested =
        random.nextBoolean()
            ? "[".repeat(depth) + "]".repeat(depth)
            : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    return post(random.nextBoolean() ? nested : "{\"trade_id\":" + nested + "}");
  }

  private FuzzRequest anyContentType() {
    String type = pick(CONTENT_TYPES);
    return withBody(type.isEmpty() ? null : type, validBody().toBuffer());
  }

  private FuzzRequest formEncoded() {
    String body =
        pick(
            List.of(
                "a=b&c=d",
                "trade_id=T1&version=1",
                "%zz=%zz",
                "a=%",
                "a=%G1",
                "=&=&=",
                "a",
                "a=" + "x".repeat(60_000),
                "a=b\r\nc=d",
                "%E2%82%AC=%E2%82"));
    return withBody("application/x-www-form-urlencoded", Buffer.buffer(body));
  }

  private FuzzRequest multipart() {
    String body =
        random.nextBoolean()
            ? "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue\r\n--XyZ--\r\n"
            : "--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\n"
                + "broken";
    String type =
        pick(
            List.of(
                "multipart/form-data; boundary=XyZ",
                "multipart/form-data",
                "multipart/mixed; boundary="));
    return withBody(type, Buffer.buffer(body));
  }

  private FuzzRequest binary() {
    byte[] bytes = new byte[1 + random.nextInt(4_096)];
    random.nextBytes(bytes);
    String type = random.nextBoolean() ? "application/json" : pick(CONTENT_TYPES);
    return withBody(type.isEmpty() ? null : type, Buffer.buffer(bytes));
  }

  private FuzzRequest oversized() {
    int size = pick(List.of(65_537, 70_000, 300_000, 1_000_000));
    String body = "{\"trade_id\":\"" + "x".repeat(size) + "\"}";
    String type = random.nextBoolean() ? "application/json" : "application/x-www-form-urlencoded";
    return withBody(type, Buffer.buffer(body));
  }

  private FuzzRequest wrongMethod() {
    HttpMethod method =
        pick(
            List.of(
                HttpMethod.PUT,
                HttpMethod.PATCH,
                HttpMethod.DELETE,
                HttpMethod.OPTIONS,
                HttpMethod.TRACE,
                HttpMethod.POST,
                HttpMethod.GET));
    String path = random.nextBoolean() ? pick(GET_PATHS) : pick(BODY_TARGETS).path();
    return new FuzzRequest(method, path, "application/json", validBody().toBuffer(), Map.of());
  }

  private FuzzRequest unknownPath() {
    String path =
        pick(
            List.of(
                "/nope",
                "/api/v2/trades",
                "/api/v1/trades/a/b/c",
                "//",
                "/api/v1/../../etc/passwd",
                "/api/v1/%2e%2e/%2e%2e/",
                "/" + "a".repeat(3_000),
                "/api/v1/trades/" + "b/".repeat(500),
                "/assets/../pom.xml",
                "/assets/%2e%2e/%2e%2e/pom.xml",
                "/%00",
                "/%zz"));
    HttpMethod method = random.nextBoolean() ? HttpMethod.GET : HttpMethod.POST;
    return new FuzzRequest(
        method,
        path,
        "application/json",
        method == HttpMethod.POST ? validBody().toBuffer() : null,
        Map.of());
  }

  private FuzzRequest hostileQuery() {
    StringBuilder query = new StringBuilder();
    int params = 1 + random.nextInt(4);
    for (int i = 0; i < params; i++) {
      query
          .append(i == 0 ? "?" : "&")
          .append(pick(PARAMS))
          .append('=')
          .append(pick(HOSTILE_VALUES));
    }
    if (random.nextInt(10) == 0) {
      // 1 900 symbols still fit in the request line; 10 000 do not (414)
      query.append("&symbols=").append("A,".repeat(pick(List.of(600, 1_900, 10_000))));
    }
    return new FuzzRequest(HttpMethod.GET, pick(GET_PATHS) + query, null, null, Map.of());
  }

  private FuzzRequest hostilePathParam() {
    String value =
        pick(
            List.of(
                "%00",
                "%zz",
                "x".repeat(51),
                "x".repeat(2_000),
                "%E2%82",
                "%F0%9F%92%A9",
                "a%2Fb",
                "%20",
                "..",
                "%2e%2e"));
    HttpMethod method = pick(List.of(HttpMethod.GET, HttpMethod.DELETE));
    String path =
        pick(
                List.of(
                    "/api/v1/trades/",
                    "/api/v1/trades/book/",
                    "/api/v1/customers/",
                    "/api/v1/blockchain/blocks/",
                    "/api/v1/blockchain/transactions/"))
            + value;
    return new FuzzRequest(method, path, null, null, Map.of());
  }

  private FuzzRequest oddHeaders() {
    Map<String, String> headers =
        switch (random.nextInt(5)) {
          case 0 -> Map.of("X-Correlation-ID", "c".repeat(pick(List.of(129, 1_000, 7_000))));
          case 1 -> Map.of("X-Correlation-ID", "caf\u00e9-\u00ff");
          case 2 -> Map.of("Accept", "application/xml", "Accept-Encoding", "br, gzip;q=abc");
          case 3 ->
              Map.of(
                  "Authorization",
                  pick(
                      List.of(
                          "Bearer",
                          "Bearer ",
                          "Bearer a.b.c",
                          "Basic dXNlcjpwYXNz",
                          "Bearer eyJhbGciOiJub25lIn0.eyJzY29wZSI6ImFkbWluIn0.",
                          "Bearer " + "x".repeat(5_000))));
          default -> Map.of("X-Big", "v".repeat(20_000));
        };
    FuzzRequest base =
        random.nextBoolean()
            ? post(validBody().encode())
            : new FuzzRequest(HttpMethod.GET, pick(GET_PATHS), null, null, Map.of());
    return new FuzzRequest(base.method(), base.uri(), base.contentType(), base.body(), headers);
  }
}
