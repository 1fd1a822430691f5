package app;

import contract.ConfigKeys;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import settings.ManagementSettings;
import verticles.AuditWriterVerticle;
import verticles.ExactlyOnceVerticle;
import verticles.ExpiryVerticle;
import verticles.FinPulseVerticle;
import verticles.HttpApiVerticle;
import verticles.IngestConsumerVerticle;
import verticles.LedgerVerticle;
import verticles.ManagementVerticle;
import verticles.OutboxVerticle;
import verticles.PortfolioValuationVerticle;
import verticles.PortfolioVerticle;
import verticles.PriceConsumerVerticle;
import verticles.QuotePushVerticle;
import verticles.QuoteSimulatorVerticle;
import verticles.RetentionVerticle;
import verticles.TradeConsumerVerticle;
import verticles.TradePersistenceVerticle;

/**
 * Which verticles a role deploys. A JVM deploys the roles named in ROLES ("all", or a comma list
 * such as "api,trades"). Roles deploy in the order listed here, so handlers exist before the API
 * takes traffic.
 */
public final class Roles {
  public static final String ALL = "all";

  /**
   * When a verticle deploys: the bus handlers first, then what sends to them (Kafka consumers,
   * timers), then the HTTP API, so no request finds its handler missing. Within a stage, verticles
   * deploy in parallel.
   */
  private enum Stage {
    HANDLERS,
    SENDERS,
    API
  }

  /**
   * A verticle, how many instances of it, and its stage; the factory gets the clock whose date is
   * "today".
   */
  private record Unit(
      Function<Clock, ? extends Deployable> factory,
      ToIntFunction<JsonObject> instances,
      Stage stage) {
    static Unit one(Supplier<? extends Deployable> factory) {
      return new Unit(clock -> factory.get(), config -> 1, Stage.HANDLERS);
    }

    static Unit oneWithClock(Function<Clock, ? extends Deployable> factory) {
      return new Unit(factory, config -> 1, Stage.HANDLERS);
    }

    static Unit sender(Function<Clock, ? extends Deployable> factory) {
      return new Unit(factory, config -> 1, Stage.SENDERS);
    }

    /** Where work enters from outside (HTTP, WebSocket): deployed last, stopped first. */
    static Unit edge(Supplier<? extends Deployable> factory) {
      return new Unit(clock -> factory.get(), config -> 1, Stage.API);
    }
  }

  private record RoleUnit(String role, Unit unit) {}

  /** A deployed verticle and the role it belongs to. */
  public record Deployment(String role, String id) {}

  /** Health and metrics of a node without the api role. */
  private static final String MANAGEMENT = "management";

  /**
   * The order roles stop in on shutdown: the edge first (no new work comes in), then whatever takes
   * work from Kafka or a timer (each consumer pauses, finishes what it holds and commits), then the
   * writers, then the outbox (it publishes what they wrote), then the audit writer (everyone above
   * audits), housekeeping last.
   */
  private static final List<String> STOP_ORDER =
      List.of(
          "api",
          "push",
          MANAGEMENT,
          "simulator",
          "trade-consumer",
          "expiry",
          "events",
          "records",
          "prices",
          "trades",
          "portfolio",
          "ledger",
          "finpulse",
          "outbox",
          "audit",
          "retention");

  private static final Map<String, List<Unit>> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("audit", List.of(Unit.one(AuditWriterVerticle::new)));
    BY_NAME.put("trades", List.of(Unit.oneWithClock(TradePersistenceVerticle::new)));
    BY_NAME.put("trade-consumer", List.of(Unit.sender(TradeConsumerVerticle::new)));
    BY_NAME.put("expiry", List.of(Unit.sender(clock -> new ExpiryVerticle())));
    BY_NAME.put(
        "events",
        List.of(
            Unit.one(() -> new ExactlyOnceVerticle<>(ExactlyOnceVerticle.RAW_EVENTS)),
            Unit.sender(clock -> new IngestConsumerVerticle(IngestConsumerVerticle.RAW_EVENTS))));
    BY_NAME.put(
        "records",
        List.of(
            Unit.one(() -> new ExactlyOnceVerticle<>(ExactlyOnceVerticle.RECORDS)),
            Unit.sender(clock -> new IngestConsumerVerticle(IngestConsumerVerticle.RECORDS))));
    BY_NAME.put("outbox", List.of(Unit.one(OutboxVerticle::new)));
    BY_NAME.put("retention", List.of(Unit.one(RetentionVerticle::new)));
    BY_NAME.put("prices", List.of(Unit.one(PriceConsumerVerticle::new)));
    BY_NAME.put("simulator", List.of(Unit.sender(clock -> new QuoteSimulatorVerticle())));
    BY_NAME.put(
        "portfolio",
        List.of(Unit.one(PortfolioVerticle::new), Unit.one(PortfolioValuationVerticle::new)));
    BY_NAME.put("ledger", List.of(Unit.one(LedgerVerticle::new)));
    BY_NAME.put("finpulse", List.of(Unit.oneWithClock(FinPulseVerticle::new)));
    BY_NAME.put("push", List.of(Unit.edge(QuotePushVerticle::new)));
    BY_NAME.put(
        "api",
        List.of(
            new Unit(
                HttpApiVerticle::new,
                config -> config.getInteger(ConfigKeys.HTTP_INSTANCES),
                Stage.API)));
    Set<String> unordered = new java.util.TreeSet<>(BY_NAME.keySet());
    unordered.removeAll(STOP_ORDER);
    if (!unordered
        .isEmpty()) { // a role missing here would stop first, before the edge that feeds it
      throw new IllegalStateException("roles without a place in STOP_ORDER: " + unordered);
    }
  }

  private Roles() {}

  public static Set<String> names() {
    return BY_NAME.keySet();
  }

  /**
   * Parses ROLES; unknown names fail fast so a typo never starts a JVM that silently does nothing.
   */
  public static List<String> parse(String roles) {
    if (roles == null || roles.isBlank() || roles.strip().equals(ALL)) {
      return new ArrayList<>(BY_NAME.keySet());
    }
    List<String> wanted = new ArrayList<>();
    for (String name : roles.split(",")) {
      String role = name.strip();
      if (!BY_NAME.containsKey(role)) {
        throw new IllegalArgumentException(
            "Unknown role '"
                + role
                + "' in ROLES; known roles: "
                + String.join(", ", BY_NAME.keySet())
                + " or "
                + ALL);
      }
      wanted.add(role);
    }
    return BY_NAME.keySet().stream().filter(wanted::contains).toList();
  }

  /**
   * Deploys the roles' verticles stage after stage, each stage in parallel, and returns them in
   * deployment order.
   */
  public static Future<List<Deployment>> deploy(Vertx vertx, JsonObject config, Clock clock) {
    List<String> roles = parse(config.getString(ConfigKeys.ROLES));
    List<RoleUnit> units = new ArrayList<>();
    roles.forEach(role -> BY_NAME.get(role).forEach(unit -> units.add(new RoleUnit(role, unit))));
    // the api serves health and metrics itself; every other node (or any, when metrics leave the
    // API port) on its own
    if (!roles.contains("api") || ManagementSettings.metricsAndDocsHere(config)) {
      units.add(new RoleUnit(MANAGEMENT, Unit.edge(ManagementVerticle::new)));
    }
    List<Deployment> deployments = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Stage stage : Stage.values()) {
      List<RoleUnit> staged =
          units.stream().filter(placed -> placed.unit().stage() == stage).toList();
      chain =
          chain
              .compose(
                  v ->
                      Future.all(
                          staged.stream()
                              .map(
                                  placed ->
                                      deployUnit(vertx, placed.unit(), config, clock)
                                          .map(id -> new Deployment(placed.role(), id)))
                              .toList()))
              .map(
                  deployed -> {
                    deployments.addAll(deployed.<Deployment>list());
                    return null;
                  });
    }
    return chain.map(v -> deployments);
  }

  /**
   * The deployments in {@link #STOP_ORDER}; within a role, the reverse of their deployment order.
   */
  public static List<Deployment> inStopOrder(List<Deployment> deployed) {
    List<Deployment> reversed = new ArrayList<>(deployed);
    Collections.reverse(reversed);
    return reversed.stream()
        .sorted(Comparator.comparingInt(d -> STOP_ORDER.indexOf(d.role())))
        .toList();
  }

  private static Future<String> deployUnit(Vertx vertx, Unit unit, JsonObject config, Clock clock) {
    DeploymentOptions options =
        new DeploymentOptions().setConfig(config).setInstances(unit.instances().applyAsInt(config));
    return vertx.deployVerticle(() -> unit.factory().apply(clock), options);
  }
}
