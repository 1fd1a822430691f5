package app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import verticles.AuditWriterVerticle;
import verticles.EventPersistenceVerticle;
import verticles.ExpiryVerticle;
import verticles.IngestConsumerVerticle;
import verticles.OutboxVerticle;
import verticles.RecordPersistenceVerticle;
import verticles.RetentionVerticle;
import verticles.HttpApiVerticle;
import verticles.PriceConsumerVerticle;
import verticles.QuotePushVerticle;
import verticles.TradeConsumerVerticle;
import verticles.TradePersistenceVerticle;

/**
 * Which verticles a role deploys. A JVM deploys the roles named in ROLES ("all", or a comma list such
 * as "api,trades"). Roles deploy in the order listed here, so handlers exist before the API takes traffic.
 */
public final class Roles {
  public static final String ALL = "all";

  private record Unit(Supplier<? extends Deployable> factory, ToIntFunction<JsonObject> instances) {}

  private static final Map<String, List<Unit>> BY_NAME = new LinkedHashMap<>();

  static {
    BY_NAME.put("audit", List.of(new Unit(AuditWriterVerticle::new, config -> 1)));
    BY_NAME.put("trades", List.of(new Unit(TradePersistenceVerticle::new, config -> 1)));
    BY_NAME.put("trade-consumer", List.of(new Unit(TradeConsumerVerticle::new, config -> 1)));
    BY_NAME.put("expiry", List.of(new Unit(ExpiryVerticle::new, config -> 1)));
    BY_NAME.put("events", List.of(new Unit(EventPersistenceVerticle::new, config -> 1),
        new Unit(() -> new IngestConsumerVerticle(IngestConsumerVerticle.RAW_EVENTS), config -> 1)));
    BY_NAME.put("records", List.of(new Unit(RecordPersistenceVerticle::new, config -> 1),
        new Unit(() -> new IngestConsumerVerticle(IngestConsumerVerticle.RECORDS), config -> 1)));
    BY_NAME.put("outbox", List.of(new Unit(OutboxVerticle::new, config -> 1)));
    BY_NAME.put("retention", List.of(new Unit(RetentionVerticle::new, config -> 1)));
    BY_NAME.put("prices", List.of(new Unit(PriceConsumerVerticle::new, config -> 1)));
    BY_NAME.put("push", List.of(new Unit(QuotePushVerticle::new, config -> 1)));
    BY_NAME.put("api", List.of(new Unit(HttpApiVerticle::new,
        config -> config.getInteger(ConfigKeys.HTTP_INSTANCES, Runtime.getRuntime().availableProcessors()))));
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

  /** Deploys the roles one after another and returns the deployment ids. */
  public static Future<List<String>> deploy(Vertx vertx, JsonObject config) {
    List<String> ids = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (String role : parse(config.getString(ConfigKeys.ROLES))) {
      for (Unit unit : BY_NAME.get(role)) {
        chain = chain.compose(v -> deployUnit(vertx, unit, config)).map(id -> {
          ids.add(id);
          return null;
        });
      }
    }
    return chain.map(v -> ids);
  }

  private static Future<String> deployUnit(Vertx vertx, Unit unit, JsonObject config) {
    DeploymentOptions options = new DeploymentOptions().setConfig(config).setInstances(unit.instances().applyAsInt(config));
    return vertx.deployVerticle(unit.factory(), options);
  }
}
