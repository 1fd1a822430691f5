package verticles;

import analytics.FinPulseAnalytics;
import analytics.ValueAtRisk;
import analytics.VarRequest;
import bus.Answering;
import codec.IdempotencyJson;
import codec.Outcomes;
import contract.Addresses;
import domain.ErrorCode;
import domain.IdempotencyKey;
import domain.Violation;
import domain.ViolationException;
import failures.Failures;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import resources.FinPulse;
import resources.Resource;
import resources.ResourceInput;
import settings.FinPulseSettings;
import store.AnalyticsInputs;
import store.IdempotencyStore;
import store.PgPools;
import store.ResourceStore;

/**
 * The only writer of the FinPulse resources (role {@code finpulse}), on {@code finpulse.write}:
 * {@code {resource, op, id, body, owner}} with op {@code create}, {@code batch}, {@code update},
 * {@code delete}, {@code var} or {@code var-batch}. It checks the body against the resource's
 * description, adds the analytics a create answers with, and stores. {@code owner} is the customer
 * whose objects the caller may write (null: every customer's): another customer's object is not
 * found, and a reference to one is refused as naming nothing. Replies: {@code {status:
 * created|updated|deleted|computed, entity|entities|results}}, {@code {status: not_found}}, or a
 * refusal naming its field.
 */
public final class FinPulseVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(FinPulseVerticle.class);

  private final Clock clock;
  private Pool pool;
  private Map<String, ResourceStore> stores;
  private AnalyticsInputs inputs;
  private FinPulseAnalytics analytics;
  private int batchMax;
  private long retrainTimer;

  public FinPulseVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    pool = PgPools.create(vertx, config());
    stores = new LinkedHashMap<>();
    FinPulse.ALL.forEach(resource -> stores.put(resource.name(), new ResourceStore(resource)));
    inputs = new AnalyticsInputs(pool);
    FinPulseSettings settings = FinPulseSettings.from(config());
    analytics = new FinPulseAnalytics(vertx, inputs, settings, clock);
    batchMax = settings.batchMax();
    long retrainMs = settings.fraud().retrainMs();
    retrainTimer = vertx.setPeriodic(retrainMs, retrainMs, tick -> analytics.retrainFraudModel());
    // the first payments are scored by a model of the stored history; if it cannot be read, by the
    // fallback rule
    return analytics
        .retrainFraudModel()
        .otherwiseEmpty()
        .compose(
            trained ->
                vertx
                    .eventBus()
                    .<JsonObject>consumer(
                        Addresses.FINPULSE_WRITE, Answering.always(LOG, this::write))
                    .completion());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(retrainTimer);
    return pool.close();
  }

  private void write(Message<JsonObject> message) {
    JsonObject request = message.body();
    Answering.reply(
        message,
        attempt(request),
        request.getString("op") + " of " + request.getString("resource"),
        LOG);
  }

  /**
   * Input the description refuses is thrown while parsing: it becomes a failed future, answered as
   * a refusal.
   */
  private Future<JsonObject> attempt(JsonObject request) {
    try {
      return dispatch(request);
    } catch (ViolationException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<JsonObject> dispatch(JsonObject request) {
    ResourceStore store = stores.get(request.getString("resource"));
    String id = request.getString("id");
    String owner = request.getString("owner");
    IdempotencyKey key = IdempotencyJson.of(request);
    return switch (request.getString("op")) {
      case "create" ->
          IdempotencyStore.once(
              pool, key, tx -> create(tx, store, owner, request.getJsonObject("body")));
      case "batch" ->
          IdempotencyStore.once(
              pool, key, tx -> createAll(tx, store, owner, request.getJsonArray("body")));
      case "update" -> update(store, owner, id, request.getJsonObject("body"));
      case "delete" ->
          store
              .delete(pool, owner, id)
              .map(deleted -> Outcomes.status(deleted ? "deleted" : Outcomes.NOT_FOUND));
      case "var" ->
          IdempotencyStore.once(
              pool,
              key,
              tx ->
                  computeVar(tx, owner, VarRequest.parse(request.getJsonObject("body").getMap())));
      case "var-batch" ->
          IdempotencyStore.once(
              pool, key, tx -> computeVars(tx, owner, request.getJsonObject("body")));
      default -> throw new IllegalArgumentException("unknown op " + request.getString("op"));
    };
  }

  private static Future<JsonObject> refusal(Throwable failure) {
    return Failures.classify(failure) == Failures.Kind.REFUSAL
        ? Future.succeededFuture(Outcomes.refused(Failures.refusal(failure)))
        : Future.failedFuture(failure);
  }

  private Future<JsonObject> create(
      SqlClient tx, ResourceStore store, String owner, JsonObject body) {
    Resource resource = store.resource();
    Map<String, String> values = ResourceInput.forCreate(resource, body.getMap());
    return store
        .requireOwnedReferences(tx, owner, List.of(values))
        .compose(owned -> analytics.enrich(resource, values))
        .compose(enriched -> store.create(tx, enriched))
        .map(entity -> Outcomes.status("created").put("entity", entity));
  }

  /** All or none: every item is checked first, then all are inserted in one transaction. */
  private Future<JsonObject> createAll(
      SqlClient tx, ResourceStore store, String owner, JsonArray items) {
    Resource resource = store.resource();
    if (items.isEmpty() || items.size() > batchMax) {
      throw new ViolationException(
          Violation.of(
              ErrorCode.INVALID_FIELD,
              null,
              "a batch holds 1 to " + batchMax + " items, got " + items.size()));
    }
    List<Map<String, String>> values =
        IntStream.range(0, items.size())
            .mapToObj(i -> ResourceInput.forCreate(resource, item(items, i), i))
            .toList();
    return store
        .requireOwnedReferences(tx, owner, values)
        .compose(
            owned ->
                Future.all(values.stream().map(item -> analytics.enrich(resource, item)).toList()))
        .compose(enriched -> store.createAll(tx, enriched.<Map<String, String>>list()))
        .map(
            entities ->
                Outcomes.status("created")
                    .put("entities", new JsonArray(new ArrayList<>(entities))));
  }

  private static Map<String, Object> item(JsonArray items, int index) {
    if (!(items.getValue(index) instanceof JsonObject item)) {
      throw new ViolationException(
          Violation.of(
              ErrorCode.MALFORMED_JSON,
              "[" + index + "]",
              "item " + index + " must be a JSON object"));
    }
    return item.getMap();
  }

  /**
   * Another customer's object is not found before its new references are looked at: it is not there
   * for the caller.
   */
  private Future<JsonObject> update(ResourceStore store, String owner, String id, JsonObject body) {
    Map<String, String> values = ResourceInput.forUpdate(store.resource(), id, body.getMap());
    return reachable(store, owner, id)
        .compose(
            reached ->
                !reached
                    ? Future.succeededFuture(Optional.empty())
                    : store
                        .requireOwnedReferences(pool, owner, List.of(values))
                        .compose(owned -> store.update(pool, owner, id, values)))
        .map(
            found ->
                found
                    .map(entity -> Outcomes.status("updated").put("entity", entity))
                    .orElse(Outcomes.status(Outcomes.NOT_FOUND)));
  }

  /**
   * Whether the owner (null: anyone) has the object; only asked of customers, staff reach every
   * one.
   */
  private Future<Boolean> reachable(ResourceStore store, String owner, String id) {
    return owner == null
        ? Future.succeededFuture(true)
        : store.find(pool, owner, id).map(Optional::isPresent);
  }

  /**
   * VaR from the portfolio's history, stored as a risk-metrics row; a portfolio the owner has not
   * (or nobody has) is refused as naming nothing, and too little history is refused.
   */
  private Future<JsonObject> computeVar(SqlClient tx, String owner, VarRequest request) {
    return stores
        .get(FinPulse.RISK_METRICS)
        .requireOwnedReferences(tx, owner, List.of(Map.of("portfolio_id", request.portfolioId())))
        .compose(owned -> inputs.dailyValues(request.portfolioId(), request.days()))
        .compose(series -> storeVar(tx, request, series))
        .map(entity -> Outcomes.status("computed").put("entity", entity));
  }

  private Future<JsonObject> storeVar(
      SqlClient tx, VarRequest request, AnalyticsInputs.Series series) {
    if (series.values().length < ValueAtRisk.MIN_RETURNS + 1) {
      throw new ViolationException(
          Violation.of(
              ErrorCode.INSUFFICIENT_HISTORY,
              "portfolio_id",
              "portfolio "
                  + request.portfolioId()
                  + " has "
                  + series.values().length
                  + " daily values in the last "
                  + request.days()
                  + " days of its history; VaR needs at least "
                  + (ValueAtRisk.MIN_RETURNS + 1)));
    }
    ValueAtRisk.Result result =
        ValueAtRisk.compute(series.values(), request.confidence().doubleValue(), request.method());
    Map<String, String> row = new LinkedHashMap<>();
    row.put("portfolio_id", request.portfolioId());
    row.put("metric_type", "var");
    row.put("method", request.method().name().toLowerCase(java.util.Locale.ROOT));
    row.put("confidence", request.confidence().toPlainString());
    row.put("days", Integer.toString(request.days()));
    row.put("value", FinPulseAnalytics.decimal(result.var()));
    row.put("currency", series.currency());
    row.put("as_of", Instant.now(clock).toString());
    return stores
        .get(FinPulse.RISK_METRICS)
        .create(tx, row)
        .map(
            entity ->
                entity
                    .put("observations", result.returns())
                    .put("latest_value", result.latestValue())
                    .put("mean_return", result.meanReturn())
                    .put("volatility", result.volatility()));
  }

  /**
   * One VaR per portfolio, in order; a portfolio refused (too little history, unknown) is answered
   * in its place.
   */
  private Future<JsonObject> computeVars(SqlClient tx, String owner, JsonObject body) {
    JsonArray ids = body.getValue("portfolio_ids") instanceof JsonArray array ? array : null;
    if (ids == null
        || ids.isEmpty()
        || ids.size() > batchMax
        || !ids.stream().allMatch(String.class::isInstance)) {
      throw new ViolationException(
          Violation.of(
              ErrorCode.INVALID_FIELD,
              "portfolio_ids",
              "portfolio_ids must be an array of 1 to " + batchMax + " portfolio ids"));
    }
    JsonObject template = body.copy();
    template.remove("portfolio_ids");
    VarRequest.parse(
        template
            .copy()
            .put("portfolio_id", ids.getString(0))
            .getMap()); // bad parameters refuse it all
    List<Future<JsonObject>> results =
        ids.stream()
            .map(id -> attemptVar(tx, owner, template.copy().put("portfolio_id", id)))
            .toList();
    return Future.all(results)
        .map(
            all ->
                Outcomes.status("computed")
                    .put("results", new JsonArray(results.stream().map(Future::result).toList())));
  }

  private Future<JsonObject> attemptVar(SqlClient tx, String owner, JsonObject request) {
    try {
      return computeVar(tx, owner, VarRequest.parse(request.getMap()))
          .map(computed -> computed.getJsonObject("entity"))
          .recover(FinPulseVerticle::refusal)
          .map(
              result ->
                  result.containsKey("error")
                      ? result.put("portfolio_id", request.getString("portfolio_id"))
                      : result);
    } catch (ViolationException e) {
      return Future.succeededFuture(
          Outcomes.refused(e.violation()).put("portfolio_id", request.getString("portfolio_id")));
    }
  }
}
