package app;

import codec.Codecs;
import contract.ConfigKeys;
import infra.ConfiguredServers;
import infra.Infrastructure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Function;
import metrics.Meters;
import node.BoundPorts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import security.Tokens;
import store.SchemaMigrator;

/**
 * Starts the service in a Vert.x instance: config, then the servers (in dev mode, an embedded one
 * for each the config leaves unnamed; otherwise every one must be named), then the schema
 * migrations, then the verticles of the configured roles. Blocking steps run on a worker thread,
 * never on an event loop.
 */
public final class Bootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

  /** What a started service holds on to, so it can be shut down in order. */
  public record Running(
      JsonObject config, Infrastructure infrastructure, List<Roles.Deployment> deployments) {}

  private Bootstrap() {}

  /** Starts with the system clock in TRADES_ZONE as the source of "today". */
  public static Future<Running> start(Vertx vertx, JsonObject overrides) {
    return start(vertx, overrides, Bootstrap::systemClock);
  }

  /**
   * @param clock the clock whose date is "today" for the trade rules, from the loaded config; tests
   *     pass the one they compute their dates with
   */
  public static Future<Running> start(
      Vertx vertx, JsonObject overrides, Function<JsonObject, Clock> clock) {
    Codecs.registerAll(vertx.eventBus());
    Meters.registerAtZero();
    return ConfigLoader.load(vertx, overrides)
        .compose(config -> startInfrastructure(vertx, config))
        .compose(running -> migrate(vertx, running))
        .compose(running -> createDevTopics(vertx, running))
        .compose(running -> deployRoles(vertx, running, clock.apply(running.config())));
  }

  private static Clock systemClock(JsonObject config) {
    return Clock.system(ZoneId.of(config.getString(ConfigKeys.TRADES_ZONE)));
  }

  /**
   * Dev mode (DEV_MODE=true) starts what is missing ({@link DevMode}); anywhere else every
   * connection key and the token key must be set, and startup stops with one line naming what is
   * not. Then the {@code auto} settings are resolved: reads open and the quote simulator on only in
   * dev mode.
   */
  private static Future<Running> startInfrastructure(Vertx vertx, JsonObject config) {
    Roles.parse(config.getString(ConfigKeys.ROLES));
    boolean devMode = config.getBoolean(ConfigKeys.DEV_MODE);
    Future<Running> started =
        devMode
            ? vertx.executeBlocking(() -> DevMode.start(config), false)
            : Future.succeededFuture(production(config));
    return started.map(
        running -> {
          JsonObject resolved = running.config();
          if (devMode) {
            DevMode.printToken(vertx, config, resolved);
          }
          resolved.put(ConfigKeys.QUOTE_SIMULATOR, simulatorOn(config, running.infrastructure()));
          resolved.put(
              ConfigKeys.AUTH_READS,
              auto(config.getString(ConfigKeys.AUTH_READS), devMode ? "open" : "token"));
          if (!config.getBoolean(ConfigKeys.AUTH_ENABLED)) {
            LOG.warn(
                "AUTH: OFF (AUTH_ENABLED=false): every endpoint, writes and admin actions included,"
                    + " is open to anyone who reaches the port");
          }
          return running;
        });
  }

  /**
   * Outside dev mode nothing is started: a blank connection key or a missing token key stops
   * startup.
   */
  private static Running production(JsonObject config) {
    List<String> missing =
        Infrastructure.CONNECTION_KEYS.stream()
            .filter(key -> config.getString(key, "").isBlank())
            .toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          String.join(", ", missing)
              + (missing.size() == 1 ? " is" : " are")
              + " not set: set "
              + (missing.size() == 1 ? "it" : "them")
              + " to the servers to use, or DEV_MODE=true for "
              + "embedded development servers");
    }
    Tokens.requireKey(config);
    return new Running(config.copy(), ConfiguredServers.INSTANCE, List.of());
  }

  private static String auto(String setting, String resolved) {
    return setting.equals("auto") ? resolved : setting;
  }

  /**
   * QUOTE_SIMULATOR: {@code auto} (the default) turns the simulator on only when this JVM started
   * the embedded broker, i.e. dev mode; a configured broker means a real environment, where it
   * stays off unless set true.
   */
  static boolean simulatorOn(JsonObject config, Infrastructure infrastructure) {
    String setting = String.valueOf(config.getValue(ConfigKeys.QUOTE_SIMULATOR)).strip();
    return setting.equalsIgnoreCase("auto")
        ? infrastructure.connectionConfig().containsKey(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS)
        : Boolean.parseBoolean(setting);
  }

  private static Future<Running> migrate(Vertx vertx, Running running) {
    String pgUri = running.config().getString(ConfigKeys.PG_URI);
    String rootCert = running.config().getString(ConfigKeys.PG_SSL_ROOT_CERT);
    return vertx
        .executeBlocking(() -> SchemaMigrator.migrate(pgUri, rootCert), false)
        .map(
            applied -> {
              LOG.info("Schema is current ({} migrations applied now)", applied);
              return running;
            })
        .onFailure(e -> running.infrastructure().close());
  }

  /** Only when this process started the broker itself (dev mode and tests). */
  private static Future<Running> createDevTopics(Vertx vertx, Running running) {
    String embeddedKafka =
        running.infrastructure().connectionConfig().getString(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS);
    return embeddedKafka == null
        ? Future.succeededFuture(running)
        : DevTopics.create(vertx, embeddedKafka)
            .map(running)
            .onFailure(e -> running.infrastructure().close());
  }

  /** The running config names the ports really bound where it said 0 ("any free port"). */
  private static Future<Running> deployRoles(Vertx vertx, Running running, Clock clock) {
    return Roles.deploy(vertx, running.config(), clock)
        .map(
            deployed ->
                new Running(
                    BoundPorts.applyTo(vertx, running.config()),
                    running.infrastructure(),
                    deployed))
        .onFailure(e -> running.infrastructure().close());
  }
}
