package security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.Scopes;
import finpulse.Samples;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.Yaml;
import resources.Field;
import resources.FinPulse;
import resources.Resource;
import support.Await;
import support.ServiceUnderTest;
import support.TestClock;
import support.TestInfra;
import support.Trades;

/**
 * The authorization matrix, generated from {@code openapi.yaml}: every operation as five callers
 * (customers A and B, staff, a reference-data writer, an anonymous caller), and each operation that
 * reaches customers' objects tried on A's objects and on B's. A customer reaches its own only:
 * another's is a 404, a list leaves it out, and a reference to it is refused as naming nothing;
 * staff reach both; a caller without the scopes an operation declares gets 403, and an anonymous
 * one 401 except on the open operations. An operation reaching customers' objects that this test
 * cannot build a request for fails it, so no such operation is left out.
 */
@Tag("integration")
class AuthorizationMatrixTest {
  private static final Set<String> CUSTOMER_SCOPES =
      Set.of(Scopes.TRADES_WRITE, Scopes.RECORDS_WRITE, Scopes.LEDGER_WRITE, Scopes.FINPULSE_WRITE);
  private static final Pattern FINPULSE_PATH =
      Pattern.compile("^/api/v1/([a-z-]+)(/batch|/\\{id}|/compute|/compute-batch)?$");
  private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([A-Za-z_]+)}");
  @RegisterExtension static final ServiceUnderTest service = ServiceUnderTest.perClass();
  private static Owner ownerA;
  private static Owner ownerB;

  /** The reference data every owner's objects point at: resource name to id. */
  private static final Map<String, String> REFERENCE = new HashMap<>();

  /** One operation of the contract and its rule, as the contract declares them. */
  private record Operation(
      HttpMethod method,
      String path,
      boolean open,
      List<Set<String>> alternatives,
      String owned,
      String ownedId) {
    String name() {
      return method + " " + path;
    }

    boolean allows(Set<String> scopes) {
      return alternatives.stream().anyMatch(scopes::containsAll);
    }

    /** The FinPulse resource of its path, or null. */
    Resource resource() {
      Matcher finpulse = FINPULSE_PATH.matcher(path);
      return finpulse.matches() ? FinPulse.byName(finpulse.group(1)).orElse(null) : null;
    }
  }

  /** A caller: its token's scopes (null: no token) and the customer it acts for. */
  private record Caller(String name, Set<String> scopes, String customer) {
    boolean anonymous() {
      return scopes == null;
    }

    /** Whether it reaches every customer's objects through this operation: staff do. */
    boolean crossesCustomers(Operation operation) {
      return operation.method() == HttpMethod.GET
          ? scopes.contains(Scopes.OPS_READ)
              || scopes.contains(Scopes.OPS_WRITE)
              || scopes.contains(Scopes.ADMIN)
          : scopes.contains(Scopes.OPS_WRITE) || scopes.contains(Scopes.ADMIN);
    }

    String token() {
      return anonymous()
          ? null
          : service.token(name.replace(' ', '-'), String.join(" ", scopes), customer);
    }
  }

  /** A customer and one object of each kind it owns: kind to id. */
  private record Owner(String name, Map<String, String> objects) {
    String customer() {
      return objects.get(FinPulse.CUSTOMERS);
    }

    String id(String kind) {
      String id = objects.get(kind);
      if (id == null) {
        throw new AssertionError("no " + kind + " of customer " + name);
      }
      return id;
    }
  }

  @BeforeAll
  static void start() {
    FinPulse.ALL.stream()
        .filter(resource -> !resource.owned())
        .forEach(resource -> REFERENCE.put(resource.name(), created(resource, Map.of())));
    ownerA = owner("A");
    ownerB = owner("B");
  }

  /**
   * Staff create a customer with one object of every kind it owns, each referencing the customer's
   * own, a ledger balance on its account, and a transfer out of it.
   */
  private static Owner owner(String name) {
    Map<String, String> objects = new LinkedHashMap<>();
    FinPulse.ALL.stream()
        .filter(Resource::owned)
        .forEach(resource -> objects.put(resource.name(), created(resource, objects)));
    String account = objects.get(FinPulse.ACCOUNTS);
    expect(
        201,
        asStaff(
            HttpMethod.POST,
            "/api/v1/blockchain/seed-balance",
            new JsonObject().put("account_id", account).put("amount", "1000")));
    objects.put("ledger-accounts", account);
    HttpResponse<Buffer> moved =
        expect(
            201,
            asStaff(
                HttpMethod.POST,
                "/api/v1/blockchain/transfers",
                transfer(account, "MATRIX-SINK-" + name)));
    objects.put(
        "ledger-transactions",
        moved.bodyAsJsonObject().getJsonObject("transaction").getString("tx_id"));
    return new Owner(name, objects);
  }

  private static JsonObject transfer(String sender, String receiver) {
    return new JsonObject()
        .put("sender_account_id", sender)
        .put("receiver_account_id", receiver)
        .put("amount", "1");
  }

  /** Creates one entity as staff, its owned references the owner's, and returns its id. */
  private static String created(Resource resource, Map<String, String> owned) {
    return expect(
            201, asStaff(HttpMethod.POST, "/api/v1/" + resource.name(), body(resource, owned)))
        .bodyAsJsonObject()
        .getString(resource.id());
  }

  /** A valid create body whose references are the owner's objects, or the shared reference data. */
  private static JsonObject body(Resource resource, Map<String, String> owned) {
    JsonObject body = new JsonObject().put(resource.id(), Samples.unique(resource.name()));
    for (Field field : resource.fields()) {
      if (!field.computed()) {
        String parent = field.references();
        body.put(
            field.name(),
            parent == null
                ? Samples.value(field)
                : FinPulse.named(parent).owned() ? owned.get(parent) : REFERENCE.get(parent));
      }
    }
    return body;
  }

  @TestFactory
  Stream<DynamicTest> everyOperationAsEveryCaller() throws IOException {
    List<Operation> operations = operations();
    List<Caller> callers =
        List.of(
            new Caller("customer A", CUSTOMER_SCOPES, ownerA.customer()),
            new Caller("customer B", CUSTOMER_SCOPES, ownerB.customer()),
            new Caller("staff", Set.of(TestInfra.OPERATOR_SCOPES.split(" ")), null),
            new Caller("reference-data writer", Set.of(Scopes.OPS_WRITE), null),
            new Caller("anonymous", null, null));
    LoggerFactory.getLogger(AuthorizationMatrixTest.class)
        .info(
            "Authorization matrix: {} operations x {} callers = {}",
            operations.size(),
            callers.size(),
            operations.size() * callers.size());
    return operations.stream()
        .flatMap(
            operation ->
                callers.stream()
                    .map(
                        caller ->
                            DynamicTest.dynamicTest(
                                operation.name() + " as " + caller.name(),
                                () -> check(operation, caller))));
  }

  /**
   * Every operation of the contract with its declared rule; the contract refuses to load without
   * one.
   */
  private static List<Operation> operations() throws IOException {
    Map<String, Object> contract =
        new Yaml().load(Files.readString(Path.of("src/main/resources/openapi.yaml")));
    Map<String, Map<String, Object>> paths = cast(contract.get("paths"));
    List<Operation> operations = new ArrayList<>();
    paths.forEach(
        (path, methods) ->
            methods.forEach(
                (method, model) -> {
                  if (List.of("get", "post", "put", "delete").contains(method)) {
                    Map<String, Object> operation = cast(model);
                    List<Map<String, List<String>>> security = cast(operation.get("security"));
                    assertTrue(
                        security != null && operation.get("x-owned") != null,
                        method + " " + path + " declares no rule");
                    operations.add(
                        new Operation(
                            HttpMethod.valueOf(method.toUpperCase()),
                            path,
                            security.isEmpty(),
                            security.stream()
                                .map(
                                    requirement ->
                                        requirement.values().stream()
                                            .flatMap(List::stream)
                                            .collect(Collectors.toSet()))
                                .toList(),
                            (String) operation.get("x-owned"),
                            (String) operation.get("x-owned-id")));
                  }
                }));
    return operations;
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object value) {
    return (T) value;
  }

  private static void check(Operation operation, Caller caller) {
    if (operation.open()) {
      int status = send(caller, request(operation, ownerA)).statusCode();
      assertTrue(
          status != 401 && status != 403, operation.name() + " is open, but answered " + status);
    } else if (caller.anonymous()) {
      expect(401, send(caller, request(operation, ownerA)));
    } else if (!operation.allows(caller.scopes())) {
      expect(403, send(caller, request(operation, ownerA)));
    } else if (operation.owned().equals("none")) {
      HttpResponse<Buffer> answer = send(caller, request(operation, ownerA));
      assertTrue(
          answer.statusCode() != 401 && answer.statusCode() != 403 && answer.statusCode() < 500,
          () -> operation.name() + ": " + answer.statusCode() + " " + answer.bodyAsString());
    } else {
      for (Owner target : List.of(ownerA, ownerB)) {
        boolean reaches =
            caller.crossesCustomers(operation) || target.customer().equals(caller.customer());
        checkOwned(operation, caller, target, reaches);
      }
    }
  }

  /**
   * An operation that reaches customers' objects, on {@code target}'s, by a caller who may or may
   * not reach them.
   */
  private static void checkOwned(
      Operation operation, Caller caller, Owner target, boolean reaches) {
    String what = operation.name() + " as " + caller.name() + " on " + target.name() + "'s";
    Resource resource = operation.resource();
    if (operation.ownedId() != null) {
      Request request = request(operation, target);
      HttpResponse<Buffer> answer = send(caller, request);
      if (reaches) {
        assertTrue(
            answer.statusCode() >= 200 && answer.statusCode() < 300,
            () -> what + ": " + answer.statusCode() + " " + answer.bodyAsString());
      } else {
        assertEquals(404, answer.statusCode(), () -> what + ": " + answer.bodyAsString());
        assertIndistinguishableFromMissing(caller, request, answer, what);
      }
    } else if (operation.method() == HttpMethod.GET) {
      checkList(operation, caller, target, reaches, what);
    } else if (resource != null && operation.path().endsWith("/compute-batch")) {
      HttpResponse<Buffer> answer = expect(200, send(caller, request(operation, target)));
      String error =
          answer.bodyAsJsonObject().getJsonArray("results").getJsonObject(0).getString("error");
      assertEquals(
          !reaches, "REFERENCE_NOT_FOUND".equals(error), () -> what + ": " + answer.bodyAsString());
    } else if (resource != null && operation.path().endsWith("/compute")) {
      HttpResponse<Buffer> answer = send(caller, request(operation, target));
      assertEquals(
          !reaches,
          "REFERENCE_NOT_FOUND".equals(answer.bodyAsJsonObject().getString("error")),
          () -> what + ": " + answer.bodyAsString());
    } else if (resource != null) {
      HttpResponse<Buffer> answer = send(caller, request(operation, target));
      if (reaches) {
        expect(201, answer);
      } else {
        assertEquals(422, answer.statusCode(), () -> what + ": " + answer.bodyAsString());
        assertEquals("REFERENCE_NOT_FOUND", answer.bodyAsJsonObject().getString("error"));
      }
    } else if (operation.path().equals("/api/v1/blockchain/transfers")) {
      expect(reaches ? 201 : 404, send(caller, request(operation, target)));
    } else if (caller.crossesCustomers(operation)) {
      expect(
          operation.path().equals("/api/v1/seed") ? 200 : 201,
          send(caller, request(operation, target)));
    } else {
      throw new AssertionError(
          what + ": no request shape for this operation in " + AuthorizationMatrixTest.class);
    }
  }

  /**
   * Another customer's object is answered as one that never existed: the same body, but for the id
   * the caller sent, so ids cannot be probed and nothing about the object leaks.
   */
  private static void assertIndistinguishableFromMissing(
      Caller caller, Request request, HttpResponse<Buffer> answer, String what) {
    String targetId = request.ownedId();
    String missingId =
        isUuid(targetId)
            ? UUID.randomUUID().toString()
            : "MATRIX-MISSING-" + UUID.randomUUID().toString().substring(0, 8);
    Request missing =
        new Request(
            request.method(),
            request.uri().replace(targetId, missingId),
            request.body(),
            missingId);
    HttpResponse<Buffer> absent = send(caller, missing);
    assertEquals(absent.statusCode(), answer.statusCode(), what);
    assertEquals(
        absent.bodyAsString().replace(missingId, "<id>"),
        answer.bodyAsString().replace(targetId, "<id>"),
        () -> what + ": answered otherwise than an object that does not exist");
  }

  /**
   * A list leaves out what the caller may not reach: filtered by the owning reference, or
   * (customers) whole.
   */
  private static void checkList(
      Operation operation, Caller caller, Owner target, boolean reaches, String what) {
    Resource resource = operation.resource();
    if (resource == null) {
      throw new AssertionError(
          what + ": no request shape for this operation in " + AuthorizationMatrixTest.class);
    }
    String targetId = target.id(resource.name());
    if (resource.ownership().kind() == Resource.Ownership.Kind.CUSTOMER) {
      boolean listed = listedAnywhere(caller, operation.path(), targetId, resource.id());
      assertEquals(
          reaches,
          listed,
          what + ": the list " + (reaches ? "leaves out" : "shows") + " " + targetId);
      return;
    }
    String via = resource.ownership().via();
    String parent = target.id(resource.field(via).orElseThrow().references());
    JsonArray items =
        expect(
                200,
                send(
                    caller,
                    new Request(
                        HttpMethod.GET,
                        operation.path() + "?size=500&" + via + "=" + parent,
                        null)))
            .bodyAsJsonObject()
            .getJsonArray("items");
    boolean listed =
        items.stream()
            .anyMatch(item -> targetId.equals(((JsonObject) item).getString(resource.id())));
    assertEquals(reaches, listed, () -> what + ": " + items.encode());
    if (!reaches) {
      assertEquals(
          0, items.size(), () -> what + ": another customer's rows listed: " + items.encode());
    }
  }

  /** Whether a paged list shows the row, walking its pages by cursor. */
  private static boolean listedAnywhere(Caller caller, String path, String id, String idField) {
    String next = path + "?size=500";
    while (next != null) {
      JsonObject page =
          expect(200, send(caller, new Request(HttpMethod.GET, next, null))).bodyAsJsonObject();
      if (page.getJsonArray("items").stream()
          .anyMatch(item -> id.equals(((JsonObject) item).getString(idField)))) {
        return true;
      }
      next = page.getString("next");
    }
    return false;
  }

  /**
   * A request: method, URI, body (null for none) and the id of the customer's object it names (null
   * for none).
   */
  private record Request(HttpMethod method, String uri, Object body, String ownedId) {
    Request(HttpMethod method, String uri, Object body) {
      this(method, uri, body, null);
    }
  }

  private static boolean isUuid(String id) {
    try {
      return UUID.fromString(id).toString().equals(id);
    } catch (IllegalArgumentException notOne) {
      return false;
    }
  }

  /**
   * The operation's request, aimed at {@code target}'s objects: its ids in the path, the query and
   * the body.
   */
  private static Request request(Operation operation, Owner target) {
    String ownedId = operation.ownedId() == null ? null : idOf(operation, target);
    Matcher parameters = PATH_PARAMETER.matcher(operation.path());
    StringBuilder uri = new StringBuilder();
    while (parameters.find()) {
      String name = parameters.group(1);
      parameters.appendReplacement(
          uri, name.equals(operation.ownedId()) ? ownedId : pathValue(operation, name));
    }
    parameters.appendTail(uri);
    String query =
        operation.ownedId() != null && !operation.path().contains("{" + operation.ownedId() + "}")
            ? operation.ownedId() + "=" + ownedId
            : query(operation);
    return new Request(
        operation.method(),
        uri + (query.isEmpty() ? "" : "?" + query),
        body(operation, target),
        ownedId);
  }

  /**
   * The target's object the operation names; a DELETE gets a fresh one, so the fixtures stay for
   * the others.
   */
  private static String idOf(Operation operation, Owner target) {
    String kind = operation.owned();
    if (operation.method() == HttpMethod.DELETE) {
      Resource resource = FinPulse.named(kind);
      return created(resource, target.objects());
    }
    return target.id(kind);
  }

  private static String pathValue(Operation operation, String name) {
    return switch (name) {
      case "tradeId" ->
          operation.method() == HttpMethod.DELETE ? newTrade() : "MATRIX-NO-SUCH-TRADE";
      case "bookId" -> "B1";
      case "index" -> "0";
      case "id" ->
          operation.method() == HttpMethod.DELETE
              ? created(operation.resource(), Map.of())
              : REFERENCE.get(operation.resource().name());
      default ->
          throw new AssertionError(operation.name() + ": no value for the path parameter " + name);
    };
  }

  private static String newTrade() {
    String id = "MATRIX-" + UUID.randomUUID();
    expect(
        201,
        asStaff(
            HttpMethod.POST,
            "/api/v1/trades",
            Trades.json(id, 1, "B1", TestClock.today().plusYears(1))));
    return id;
  }

  /** Required query parameters of operations that name no customer's object. */
  private static String query(Operation operation) {
    return switch (operation.path()) {
      case "/api/v1/quotes", "/api/v1/quotes/history" -> "symbols=AAPL";
      case "/api/v1/quotes/ohlc", "/api/v1/quotes/bars" -> "symbol=AAPL";
      default -> "";
    };
  }

  /**
   * A valid body for the operation on the target's objects; null for an operation that takes none.
   */
  private static Object body(Operation operation, Owner target) {
    Resource resource = operation.resource();
    if (resource != null && operation.path().endsWith("/compute")) {
      return new JsonObject().put("portfolio_id", target.id(FinPulse.PORTFOLIOS));
    }
    if (resource != null && operation.path().endsWith("/compute-batch")) {
      return new JsonObject()
          .put("portfolio_ids", new JsonArray().add(target.id(FinPulse.PORTFOLIOS)));
    }
    if (resource != null
        && operation.method() != HttpMethod.GET
        && operation.method() != HttpMethod.DELETE) {
      JsonObject body = body(resource, resource.owned() ? target.objects() : Map.of());
      if (operation.method() == HttpMethod.PUT) {
        body.remove(resource.id());
        resource.fields().stream()
            .filter(Field::setAtCreationOnly)
            .forEach(field -> body.remove(field.name()));
        return body;
      }
      return operation.path().endsWith("/batch") ? new JsonArray().add(body) : body;
    }
    return switch (operation.name()) {
      case "POST /api/v1/trades" ->
          Trades.json("MATRIX-" + UUID.randomUUID(), 1, "B1", TestClock.today().plusYears(1));
      case "POST /records" ->
          new JsonObject()
              .put("recordId", "MATRIX-" + UUID.randomUUID())
              .put("time", "2026-01-01T00:00:00Z")
              .put("sourceId", "s")
              .put("destinationId", "D-MATRIX")
              .put("type", "positive")
              .put("value", "1")
              .put("unit", "SEK")
              .put("reference", "matrix");
      case "POST /api/v1/blockchain/transfers" ->
          transfer(target.id("ledger-accounts"), "MATRIX-SINK");
      case "POST /api/v1/blockchain/seed-balance" ->
          new JsonObject().put("account_id", target.id("ledger-accounts")).put("amount", "1");
      case "POST /api/v1/seed" ->
          new JsonObject().put("portfolio_id", "MATRIX-SEED-" + UUID.randomUUID());
      default -> null;
    };
  }

  private static HttpResponse<Buffer> asStaff(HttpMethod method, String uri, Object body) {
    return send(null, new Request(method, uri, body));
  }

  /** Sends the request as the caller (null: staff, who make the fixtures). */
  private static HttpResponse<Buffer> send(Caller caller, Request request) {
    HttpRequest<Buffer> http =
        (caller == null ? service.http : service.anonymous)
            .request(request.method(), request.uri());
    String token = caller == null ? null : caller.token();
    if (token != null) {
      http.putHeader("Authorization", token);
    }
    return Await.result(
        request.body() == null
            ? http.send()
            : http.sendBuffer(Buffer.buffer(io.vertx.core.json.Json.encode(request.body()))));
  }

  private static HttpResponse<Buffer> expect(int status, HttpResponse<Buffer> response) {
    assertEquals(status, response.statusCode(), response::bodyAsString);
    return response;
  }
}
