package app;

import contract.ConfigKeys;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import verticles.AuditWriterVerticle;
import verticles.EventPersistenceVerticle;
import verticles.ExpiryVerticle;
import verticles.FinPulseVerticle;
import verticles.HttpApiVerticle;
import verticles.IngestConsumerVerticle;
import verticles.ManagementVerticle;
import verticles.OutboxVerticle;
import verticles.PortfolioVerticle;
import verticles.PriceConsumerVerticle;
import verticles.QuotePushVerticle;
import verticles.RecordPersistenceVerticle;
import verticles.RetentionVerticle;
import verticles.TradeConsumerVerticle;
import verticles.TradePersistenceVerticle;

/**
 * Which verticles a role deploys. A JVM deploys the roles named in ROLES ("all", or a comma list such
 * as "api,trades"). Roles deploy in the order listed here, so handlers exist before the API takes traffic.
 */
public final class Roles {
  public static final String ALL = "all";

  /**
   * When a verticle deploys: the bus handlers first, then what sends to them (Kafka consumers, timers), then
   * the HTTP API, so no request finds its handler missing. Within a stage, verticles deploy in parallel.
   */
  private enum Stage { HANDLERS, SENDERS, API }

  /** A verticle, how many instances of it, and its stage; the factory gets the clock whose date is "today". */
  private record Unit(Function<Clock, ? extends Deployable> factory, ToIntFunction<JsonObject> instances, Stage stage) {
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

  private static final Map<String, List<Unit>> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("audit", List.of(Unit.one(AuditWriterVerticle::new)));
    BY_NAME.put("trades", List.of(Unit.oneWithClock(TradePersistenceVerticle::new)));
    BY_NAME.put("trade-consumer", List.of(Unit.sender(TradeConsumerVerticle::new)));
    BY_NAME.put("expiry", List.of(Unit.sender(clock -> new ExpiryVerticle())));
    BY_NAME.put("events", List.of(Unit.one(EventPersistenceVerticle::new),
        Unit.sender(clock -> new IngestConsumerVerticle(IngestConsumerVerticle.RAW_EVENTS))));
    BY_NAME.put("records", List.of(Unit.one(RecordPersistenceVerticle::new),
        Unit.sender(clock -> new IngestConsumerVerticle(IngestConsumerVerticle.RECORDS))));
    BY_NAME.put("outbox", List.of(Unit.one(OutboxVerticle::new)));
    BY_NAME.put("retention", List.of(Unit.one(RetentionVerticle::new)));
    BY_NAME.put("prices", List.of(Unit.one(PriceConsumerVerticle::new)));
    BY_NAME.put("portfolio", List.of(Unit.one(PortfolioVerticle::new)));
    BY_NAME.put("finpulse", List.of(Unit.oneWithClock(FinPulseVerticle::new)));
    BY_NAME.put("push", List.of(Unit.edge(QuotePushVerticle::new)));
    BY_NAME.put("api", List.of(new Unit(HttpApiVerticle::new,
        config -> config.getInteger(ConfigKeys.HTTP_INSTANCES, Runtime.getRuntime().availableProcessors()), Stage.API)));
  }

  private Roles() {}

  public static Set<String> names() {
    return BY_NAME.keySet();
  }

  /** Parses ROLES; unknown names fail fast so a typo never starts a JVM that silently does nothing. */
  public static List<String> parse(String roles) {
    if (roles == null || roles.isBlank() || roles.strip().equals(ALL)) {
      return new ArrayList<>(BY_NAME.keySet());
    }
    List<String> wanted = new ArrayList<>();
    for (String name : roles.split(",")) {
      String role = name.strip();
      if (!BY_NAME.containsKey(role)) {
        throw new IllegalArgumentException("Unknown role '" + role + "' in ROLES; known roles: "
            + String.join(", ", BY_NAME.keySet()) + " or " + ALL);
      }
      wanted.add(role);
    }
    return BY_NAME.keySet().stream().filter(wanted::contains).toList();
  }

  /** Deploys the roles' verticles stage after stage, each stage in parallel, and returns the deployment ids. */
  public static Future<List<String>> deploy(Vertx vertx, JsonObject config, Clock clock) {
    List<String> roles = parse(config.getString(ConfigKeys.ROLES));
    List<Unit> units = new ArrayList<>(roles.stream().flatMap(role -> BY_NAME.get(role).stream()).toList());
    if (!roles.contains("api")) { // the api serves health and metrics itself; every other node on its own port
      units.add(Unit.edge(ManagementVerticle::new));
    }
    List<String> ids = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Stage stage : Stage.values()) {
      List<Unit> staged = units.stream().filter(unit -> unit.stage() == stage).toList();
      chain = chain.compose(v -> Future.all(staged.stream().map(unit -> deployUnit(vertx, unit, config, clock)).toList()))
          .map(deployed -> {
            ids.addAll(deployed.<String>list());
            return null;
          });
    }
    return chain.map(v -> ids);
  }

  private static Future<String> deployUnit(Vertx vertx, Unit unit, JsonObject config, Clock clock) {
    DeploymentOptions options = new DeploymentOptions().setConfig(config).setInstances(unit.instances().applyAsInt(config));
    return vertx.deployVerticle(() -> unit.factory().apply(clock), options);
  }
}
