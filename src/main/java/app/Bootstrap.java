package app;

import codec.Codecs;
import contract.ConfigKeys;
import http.BoundPorts;
import infra.EmbeddedInfrastructure;
import infra.Infrastructure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import store.SchemaMigrator;

/**
 * Starts the service in a Vert.x instance: config, then any embedded server the config leaves unnamed,
 * then the schema migrations, then the verticles of the configured roles. Blocking steps run on a
 * worker thread, never on an event loop.
 */
public final class Bootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

  /** What a started service holds on to, so it can be shut down in order. */
  public record Running(JsonObject config, Infrastructure infrastructure, List<String> deployments) {}

  private Bootstrap() {}

  /** Starts with the system clock in TRADES_ZONE as the source of "today". */
  public static Future<Running> start(Vertx vertx, JsonObject overrides) {
    return start(vertx, overrides, Bootstrap::systemClock);
  }

  /**
   * @param clock the clock whose date is "today" for the trade rules, from the loaded config; tests pass
   *     the one they compute their dates with
   */
  public static Future<Running> start(Vertx vertx, JsonObject overrides, Function<JsonObject, Clock> clock) {
    Codecs.registerAll(vertx.eventBus());
    return ConfigLoader.load(vertx, overrides)
        .compose(config -> startInfrastructure(vertx, config))
        .compose(running -> migrate(vertx, running))
        .compose(running -> createDevTopics(vertx, running))
        .compose(running -> deployRoles(vertx, running, clock.apply(running.config())));
  }

  private static Clock systemClock(JsonObject config) {
    return Clock.system(ZoneId.of(config.getString(ConfigKeys.TRADES_ZONE)));
  }

  private static Future<Running> startInfrastructure(Vertx vertx, JsonObject config) {
    Roles.parse(config.getString(ConfigKeys.ROLES));
    return vertx.executeBlocking(() -> {
      Infrastructure infrastructure = EmbeddedInfrastructure.startMissing(config);
      if (!infrastructure.connectionConfig().isEmpty()) {
        // in this form, so that other JVMs of a local cluster can be pointed at these servers
        LOG.info("Embedded servers for other JVMs: {}", String.join(" ", infrastructure.connectionConfig().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).toList()));
      }
      JsonObject running = config.copy().mergeIn(infrastructure.connectionConfig());
      running.put(ConfigKeys.QUOTE_SIMULATOR, simulatorOn(config, infrastructure));
      return new Running(running, infrastructure, List.of());
    }, false);
  }

  /**
   * QUOTE_SIMULATOR: {@code auto} (the default) turns the simulator on only when this JVM started the embedded
   * broker, i.e. dev mode; a configured broker means a real environment, where it stays off unless set true.
   */
  static boolean simulatorOn(JsonObject config, Infrastructure infrastructure) {
    String setting = String.valueOf(config.getValue(ConfigKeys.QUOTE_SIMULATOR, "auto")).strip();
    return setting.equalsIgnoreCase("auto")
        ? infrastructure.connectionConfig().containsKey(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS)
        : Boolean.parseBoolean(setting);
  }

  private static Future<Running> migrate(Vertx vertx, Running running) {
    String pgUri = running.config().getString(ConfigKeys.PG_URI);
    return vertx.executeBlocking(() -> SchemaMigrator.migrate(pgUri), false)
        .map(applied -> {
          LOG.info("Schema is current ({} migrations applied now)", applied);
          return running;
        })
        .onFailure(e -> running.infrastructure().close());
  }

  /** Only when this process started the broker itself (dev mode and tests). */
  private static Future<Running> createDevTopics(Vertx vertx, Running running) {
    String embeddedKafka = running.infrastructure().connectionConfig().getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS);
    return embeddedKafka == null ? Future.succeededFuture(running)
        : DevTopics.create(vertx, embeddedKafka).map(running).onFailure(e -> running.infrastructure().close());
  }

  /** The running config names the ports really bound where it said 0 ("any free port"). */
  private static Future<Running> deployRoles(Vertx vertx, Running running, Clock clock) {
    return Roles.deploy(vertx, running.config(), clock)
        .map(ids -> new Running(BoundPorts.applyTo(vertx, running.config()), running.infrastructure(), ids))
        .onFailure(e -> running.infrastructure().close());
  }
}
