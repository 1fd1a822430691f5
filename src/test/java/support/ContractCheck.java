package support;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The contract held both ways: every answer a test receives from a service's API port is validated
 * against the response schemas of {@code openapi.yaml} with vertx-openapi's {@link
 * ResponseValidator}, and a drifted answer fails the test class when that service stops.
 *
 * <p><b>Where answers are seen.</b> On the client side: the service's router offers no hook a test
 * fixture could add a recording handler to without a test-only production API, so every client the
 * tests use is made by {@link ApiClients}, which hands each answer it receives here (a WebClient's
 * whole body, chunked or not; a plain HttpClient's body teed while the test reads it). Validation
 * runs on this class's own Vert.x, off the test's path: the test gets its answer as before.
 *
 * <p><b>What is checked.</b>
 *
 * <ul>
 *   <li>Only answers from a port a service serves its API on ({@link #serving}: {@link
 *       ServiceUnderTest} and {@link ServiceProcess} register theirs); the management and push
 *       ports are other documents' business.
 *   <li>Only requests that are an operation of the contract (path template and method). An unknown
 *       path or method, answered 404 or 405 by the router, has no operation to be checked against.
 *   <li>Not the operations whose success answer is not JSON: the dashboard page, {@code /metrics},
 *       {@code /docs}, {@code /openapi.yaml} and the {@code /ws/quotes} upgrade, whose media types
 *       the contract names in descriptions only.
 *   <li>For every other answer, a status the operation does not list is a drift (a {@code default}
 *       covers errors only, 4xx and 5xx: it is the contract's {@code Error}), as is a body or a
 *       declared header its schema refuses.
 * </ul>
 *
 * <p><b>How it fails.</b> Each violation is logged at once and filed under the port; {@link
 * #stoppedServing} (called by {@code ServiceUnderTest.close()} and {@code ServiceProcess.close()})
 * waits for the checks still running, then throws an AssertionError naming each drift: operation,
 * status, a request that got it, how often, and the validator's message.
 */
public final class ContractCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ContractCheck.class);
  private static final String RESOURCE = "openapi.yaml";
  private static final Duration DRAIN = Duration.ofSeconds(30);
  private static final Map<Integer, Served> PORTS = new ConcurrentHashMap<>();
  private static Future<Checker> checker;

  /** What the answers of one API port left to report. */
  private record Served(AtomicInteger pending, AtomicInteger checked, Map<String, Drift> drifts) {
    Served() {
      this(new AtomicInteger(), new AtomicInteger(), new ConcurrentHashMap<>());
    }
  }

  /** One kind of drift: the first request that got it, and how often it came. */
  private record Drift(String request, AtomicInteger times) {}

  /** The loaded contract and its validator. */
  private record Checker(OpenAPIContract contract, ResponseValidator validator) {}

  private ContractCheck() {}

  /** From now on, the answers of {@code port} are checked. */
  public static void serving(int port) {
    PORTS.putIfAbsent(port, new Served());
  }

  /**
   * Stops checking {@code port} once the checks under way are done, and fails with every drift its
   * answers showed.
   */
  public static void stoppedServing(int port) {
    Served served = PORTS.get(port);
    if (served == null) {
      return;
    }
    try {
      Await.until("the contract checks of port " + port, DRAIN, () -> served.pending().get() == 0);
    } catch (AssertionError stillRunning) {
      LOG.warn(
          "{} answers of port {} were not checked in time: {}",
          served.pending().get(),
          port,
          stillRunning.getMessage());
    }
    PORTS.remove(port, served);
    LOG.info(
        "{} answers of port {} went through the check against {}: {} kinds of drift",
        served.checked().get(),
        port,
        RESOURCE,
        served.drifts().size());
    if (!served.drifts().isEmpty()) {
      throw new AssertionError(
          "answers drifted from "
              + RESOURCE
              + " ("
              + served.drifts().size()
              + "):\n"
              + report(served.drifts()));
    }
  }

  private static String report(Map<String, Drift> drifts) {
    return drifts.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(
            e ->
                "  "
                    + e.getKey()
                        .replaceFirst(
                            ": ",
                            " (" + e.getValue().request() + ", " + e.getValue().times() + "x): "))
        .collect(Collectors.joining("\n"));
  }

  /**
   * Checks an answer received from {@code port} when a service serves its API there; else does
   * nothing.
   */
  static void observe(
      int port, HttpMethod method, String uri, int status, MultiMap headers, Buffer body) {
    Served served = PORTS.get(port);
    if (served == null) {
      return;
    }
    served.pending().incrementAndGet();
    verdict(method, uri, status, headers, body)
        .onSuccess(drift -> file(served, method + " " + uri, drift))
        .onFailure(
            e -> file(served, method + " " + uri, "? " + status + ": the check failed: " + e))
        .onComplete(
            done -> {
              served.checked().incrementAndGet();
              served.pending().decrementAndGet();
            });
  }

  private static void file(Served served, String uri, String drift) {
    String request = uri.length() > 120 ? uri.substring(0, 120) + "..." : uri;
    if (drift != null) {
      LOG.warn("Answer drifted from {}: {} -> {}", RESOURCE, request, drift);
      served
          .drifts()
          .computeIfAbsent(drift, key -> new Drift(request, new AtomicInteger()))
          .times()
          .incrementAndGet();
    }
  }

  /**
   * What is wrong with an answer, as "operationId status: the validator's message"; null when it is
   * what the contract says, or when the contract does not describe it (no such operation, or not a
   * JSON one).
   */
  public static Future<String> verdict(
      HttpMethod method, String uri, int status, MultiMap headers, Buffer body) {
    return checker()
        .compose(
            checker -> {
              Operation operation = checker.contract().findOperation(path(uri), method);
              if (operation == null || !answersJson(operation)) {
                return Future.succeededFuture(null);
              }
              String name = operation.getOperationId() + " " + status + ": ";
              if (status < 400 && operation.getResponse(status) == null) {
                return Future.succeededFuture(
                    name + "the operation does not list this status (its default is for errors)");
              }
              return checker
                  .validator()
                  .validate(answer(operation, status, headers, body), operation.getOperationId())
                  .map(valid -> (String) null)
                  .recover(invalid -> Future.succeededFuture(name + message(invalid)));
            });
  }

  /**
   * The path without its query, and without a trailing slash (the router serves {@code /a/} as
   * {@code /a}).
   */
  private static String path(String uri) {
    String path = uri.replaceFirst("[?#].*", "");
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /**
   * False for pages, files, /metrics and upgrades: a success answer (but a bodiless 204) not
   * declared as JSON.
   */
  private static boolean answersJson(Operation operation) {
    return operation.getOpenAPIModel().getJsonObject("responses").fieldNames().stream()
        .filter(code -> code.matches("[12]\\d\\d") && !"204".equals(code))
        .allMatch(
            code ->
                operation
                    .getResponse(Integer.parseInt(code))
                    .getContent()
                    .containsKey("application/json"));
  }

  /**
   * The answer as the validator takes it: the headers the matching response declares, under their
   * declared names.
   */
  private static ValidatableResponse answer(
      Operation operation, int status, MultiMap headers, Buffer body) {
    Response declared =
        operation.getResponse(status) != null
            ? operation.getResponse(status)
            : operation.getDefaultResponse();
    Map<String, String> declaredHeaders = new HashMap<>();
    for (Parameter header : declared == null ? List.<Parameter>of() : declared.getHeaders()) {
      if (headers.get(header.getName()) != null) {
        declaredHeaders.put(header.getName(), headers.get(header.getName()));
      }
    }
    String contentType = headers.get("content-type");
    return body == null || body.length() == 0
        ? ValidatableResponse.create(status, declaredHeaders)
        : ValidatableResponse.create(
            status,
            declaredHeaders,
            body,
            contentType == null
                ? null
                : contentType.replaceFirst(";.*", "").strip().toLowerCase(Locale.ROOT));
  }

  /** The validator's message and, for a schema, where in the body and what. */
  private static String message(Throwable invalid) {
    String where =
        invalid instanceof SchemaValidationException schema
            ? errors(schema.getOutputUnit())
                .map(unit -> unit.getInstanceLocation() + " " + unit.getError())
                .distinct()
                .limit(5)
                .collect(Collectors.joining("; ", " [", "]"))
            : "";
    return invalid.getMessage() + where.replace(" []", "");
  }

  private static Stream<OutputUnit> errors(OutputUnit unit) {
    List<OutputUnit> nested = unit.getErrors() == null ? List.of() : unit.getErrors();
    return nested.isEmpty() ? Stream.of(unit) : nested.stream().flatMap(ContractCheck::errors);
  }

  /**
   * The contract, loaded once per JVM on the checks' own Vert.x (made at the first check): a check
   * outlives whichever service or client saw the answer.
   */
  private static synchronized Future<Checker> checker() {
    if (checker == null) {
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
      checker =
          vertx
              .executeBlocking(ContractCheck::document)
              .compose(json -> OpenAPIContract.from(vertx, json))
              .map(contract -> new Checker(contract, ResponseValidator.create(vertx, contract)));
    }
    return checker;
  }

  /** openapi.yaml as JSON, read as the service reads it: YAML timestamps stay strings. */
  private static JsonObject document() {
    try (InputStream in = ContractCheck.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      Object parsed =
          new Yaml(new TimestampsAsText())
              .load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return new JsonObject(io.vertx.core.json.Json.encode(parsed));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class TimestampsAsText extends SafeConstructor {
    TimestampsAsText() {
      super(new LoaderOptions());
      yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
    }
  }
}
