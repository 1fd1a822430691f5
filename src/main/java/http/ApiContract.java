package http;

import internals.VertxInternals;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import security.AccessRule;

/**
 * The OpenAPI contract ({@code openapi.yaml}): loaded once per verticle at startup, served at
 * {@value #PATH}, and every request of an operation it lists is validated against it by
 * vertx-openapi's {@link RequestValidator} before its handler runs. The routes stay the
 * hand-written modules; {@link #validate} finds the operation by path template and method. Failures
 * become 400s with the usual body ({@link ContractViolations}).
 */
public final class ApiContract implements RouteModule {
  public static final String RESOURCE = "openapi.yaml";
  public static final String PATH = "/openapi.yaml";
  private static final String AWAITING_BODY = "contract.awaitingBody";

  /** Takes the body from the routing context, where the BodyHandler of {@link Json#post} put it. */
  private static final RequestExtractor EXTRACTOR = RequestExtractor.withBodyHandler();

  private static final String OPERATION = "contract.operation";
  private static final String OWNED = "x-owned";
  private static final String OWNED_ID = "x-owned-id";
  private static final String RATE_LIMIT = "x-rate-limit";

  private final Buffer document;
  private final OpenAPIContract contract;
  private final VertxInternals.InlineValidator validator;
  private final Map<Operation, AccessRule> accessRules;

  /** An operation with a body, to validate once {@link Json#post} has read it. */
  private record AwaitingBody(ApiContract contract, Operation operation) {}

  private ApiContract(
      Buffer document, OpenAPIContract contract, VertxInternals.InlineValidator validator) {
    this.document = document;
    this.contract = contract;
    this.validator = validator;
    this.accessRules =
        contract.operations().stream()
            .collect(Collectors.toMap(operation -> operation, ApiContract::accessRule));
  }

  /**
   * The operation's {@code security} and {@code x-owned} (with {@code x-owned-id}); an operation
   * declaring either only by default stops the contract from loading, so no route is ever open or
   * unowned by omission.
   */
  private static AccessRule accessRule(Operation operation) {
    JsonObject model = operation.getOpenAPIModel();
    String name = operation.getHttpMethod() + " " + operation.getOpenAPIPath();
    if (!model.containsKey("security")
        || !(operation.getExtensions().get(OWNED) instanceof String owned)) {
      throw new IllegalStateException(
          RESOURCE
              + ": "
              + name
              + " must declare its security and "
              + OWNED
              + " (see docs/security.md)");
    }
    List<Set<String>> alternatives =
        operation.getSecurityRequirements().stream()
            .map(
                requirement ->
                    requirement.getNames().stream()
                        .flatMap(scheme -> requirement.getScopes(scheme).stream())
                        .collect(Collectors.toSet()))
            .toList();
    Object ownedId = operation.getExtensions().get(OWNED_ID);
    Object rateLimit = operation.getExtensions().getOrDefault(RATE_LIMIT, "default");
    if (!"default".equals(rateLimit) && !"expensive".equals(rateLimit)) {
      throw new IllegalStateException(
          RESOURCE
              + ": "
              + name
              + ": "
              + RATE_LIMIT
              + " is default or expensive, not "
              + rateLimit);
    }
    return new AccessRule(
        alternatives.isEmpty(),
        alternatives,
        owned,
        ownedId instanceof String id ? id : null,
        "expensive".equals(rateLimit));
  }

  /**
   * What the operation of this request asks of its caller; null when the contract lists no such
   * operation.
   */
  public AccessRule accessRule(RoutingContext ctx) {
    Operation operation = operation(ctx);
    return operation == null ? null : accessRules.get(operation);
  }

  /** Every operation's rule, by "METHOD /path/{param}", for the tests that check each one. */
  public Map<String, AccessRule> accessRules() {
    return accessRules.entrySet().stream()
        .collect(
            Collectors.toMap(
                e -> e.getKey().getHttpMethod() + " " + e.getKey().getOpenAPIPath(),
                Map.Entry::getValue));
  }

  /**
   * The request's operation, found once per request (the access check and the validation both ask).
   */
  private Operation operation(RoutingContext ctx) {
    if (!ctx.data().containsKey(OPERATION)) {
      ctx.put(OPERATION, contract.findOperation(templatePath(ctx), ctx.request().method()));
    }
    return ctx.get(OPERATION);
  }

  /**
   * Reads and resolves the contract; parsing YAML is CPU work, so it runs on a worker, as the
   * resolving does.
   */
  public static Future<ApiContract> load(Vertx vertx) {
    return vertx
        .fileSystem()
        .readFile(RESOURCE)
        .compose(
            document ->
                vertx
                    .executeBlocking(() -> yamlToJson(document))
                    .compose(json -> OpenAPIContract.from(vertx, json))
                    .map(
                        contract ->
                            new ApiContract(
                                document,
                                contract,
                                VertxInternals.inlineValidator(
                                    vertx, CachedValidators.around(contract)))));
  }

  /**
   * YAML timestamps stay strings, as in JSON: an unquoted date in an example must not turn into a
   * Date.
   */
  private static JsonObject yamlToJson(Buffer yaml) {
    Object parsed = new Yaml(new TimestampsAsText()).load(yaml.toString(StandardCharsets.UTF_8));
    return new JsonObject(io.vertx.core.json.Json.encode(parsed));
  }

  private static final class TimestampsAsText extends SafeConstructor {
    TimestampsAsText() {
      super(new LoaderOptions());
      yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
    }
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    router
        .get(PATH)
        .handler(ctx -> ctx.response().putHeader("content-type", "application/yaml").end(document));
  }

  /**
   * Mounted before every route. An operation without a body is validated now; one with a body is
   * validated by {@link #validateBody} in {@link Json#post}, after the content type is checked and
   * the body read (so a body declared as something else is still refused unread). A request the
   * contract does not list goes on unvalidated: an unknown path or method gets its 404 or 405 as
   * before. The checks run inline, on the event loop ({@link #validateNow}).
   */
  public void validate(RoutingContext ctx) {
    Operation operation = operation(ctx);
    if (operation == null || nothingToValidate(operation)) {
      ctx.next();
    } else if (operation.getRequestBody() != null) {
      ctx.put(AWAITING_BODY, new AwaitingBody(this, operation));
      ctx.next();
    } else {
      check(ctx, operation);
    }
  }

  /** No parameter and no body: nothing to check (/health/live, /metrics). */
  private static boolean nothingToValidate(Operation operation) {
    return operation.getParameters().isEmpty() && operation.getRequestBody() == null;
  }

  /**
   * The body's own checks first (empty, malformed, nested too deep, or not the object or array the
   * operation takes: MALFORMED_JSON, as the handler would answer), then the contract's.
   */
  static void validateBody(RoutingContext ctx) {
    AwaitingBody awaiting = ctx.get(AWAITING_BODY);
    if (awaiting == null) {
      ctx.next();
      return;
    }
    switch (bodyType(awaiting.operation())) {
      case "object" -> Json.bodyObject(ctx);
      case "array" -> Json.bodyArray(ctx);
      default -> Json.parsedBody(ctx);
    }
    awaiting.contract().check(ctx, awaiting.operation());
  }

  /** The JSON type the operation's body schema declares, or "" when it declares none. */
  private static String bodyType(Operation operation) {
    MediaType json = operation.getRequestBody().getContent().get("application/json");
    Object type = json == null || json.getSchema() == null ? null : json.getSchema().get("type");
    return type instanceof String declared ? declared : "";
  }

  /** The router matches {@code /a/} to the route {@code /a}; the contract's lookup would not. */
  private static String templatePath(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private void check(RoutingContext ctx, Operation operation) {
    read(ctx, operation)
        .compose(request -> validateNow(new JsonRequest(request), operation))
        .onSuccess(valid -> ctx.next())
        .onFailure(
            failure ->
                ctx.fail(
                    failure instanceof ValidatorException invalid
                        ? ContractViolations.of(invalid, operation)
                        : failure));
  }

  /**
   * The validator's own parameter and body checks, run here on the event loop. Its {@code validate}
   * would run them in an ordered executeBlocking: one worker at a time per event loop, which capped
   * a single API instance at a few thousand requests a second. The checks are pure computation on
   * an already-read request.
   */
  private Future<Void> validateNow(ValidatableRequest request, Operation operation) {
    try {
      for (Parameter parameter : operation.getParameters()) {
        validator.validateParameter(parameter, valueOf(request, parameter));
      }
      validator.validateBody(operation.getRequestBody(), request);
      return Future.succeededFuture();
    } catch (ValidatorException e) {
      return Future.failedFuture(e);
    }
  }

  private static RequestParameter valueOf(ValidatableRequest request, Parameter parameter) {
    return switch (parameter.getIn()) {
      case COOKIE -> request.getCookies().get(parameter.getName());
      case HEADER -> request.getHeaders().get(parameter.getName());
      case PATH -> request.getPathParameters().get(parameter.getName());
      case QUERY -> request.getQuery().get(parameter.getName());
    };
  }

  /**
   * Parameters and body as the validator takes them; a value it cannot URL-decode throws at once.
   */
  private static Future<ValidatableRequest> read(RoutingContext ctx, Operation operation) {
    try {
      return EXTRACTOR.extractValidatableRequest(ctx, operation);
    } catch (ValidatorException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Each way the routes and the contract's operations differ, one line each, sorted; empty when
   * they agree. Routes without a path (handlers for every request) and prefix routes ({@code
   * /assets/*}, static file trees) are not operations.
   */
  public List<String> disagreements(List<Route> routes) {
    Set<String> routed =
        routes.stream()
            .filter(route -> route.getPath() != null && route.isExactPath())
            .flatMap(ApiContract::operationsOf)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> specified =
        contract.operations().stream()
            .map(operation -> operation.getHttpMethod().name() + " " + operation.getOpenAPIPath())
            .collect(Collectors.toCollection(TreeSet::new));
    List<String> lines = new ArrayList<>();
    routed.stream()
        .filter(Predicate.not(specified::contains))
        .forEach(operation -> lines.add(operation + " is routed but not in " + RESOURCE));
    specified.stream()
        .filter(Predicate.not(routed::contains))
        .forEach(operation -> lines.add(operation + " is in " + RESOURCE + " but not routed"));
    return lines;
  }

  /** "METHOD /path/{param}" for each method of a route; "ANY" when it takes every method. */
  private static Stream<String> operationsOf(Route route) {
    String template = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
    return route.methods().isEmpty()
        ? Stream.of("ANY " + template)
        : route.methods().stream().map(method -> method.name() + " " + template);
  }

  /**
   * The request as read, declared as JSON: {@link Json#post} already accepted its content type (any
   * JSON type, or none), which the validator would otherwise match against the contract's media
   * types a second time.
   */
  private record JsonRequest(ValidatableRequest read) implements ValidatableRequest {
    @Override
    public String getContentType() {
      return "application/json";
    }

    @Override
    public Map<String, RequestParameter> getCookies() {
      return read.getCookies();
    }

    @Override
    public Map<String, RequestParameter> getPathParameters() {
      return read.getPathParameters();
    }

    @Override
    public Map<String, RequestParameter> getQuery() {
      return read.getQuery();
    }

    @Override
    public Map<String, RequestParameter> getHeaders() {
      return read.getHeaders();
    }

    @Override
    public RequestParameter getBody() {
      return read.getBody();
    }
  }
}
