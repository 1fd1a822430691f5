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
import metrics.Meters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import security.Tokens;
import store.SchemaMigrator;

/**
 * Starts the service in a Vert.x instance: config, then any embedded server the config leaves unnamed,
 * then the schema migrations, then the verticles of the configured roles. Blocking steps run on a
 * worker thread, never on an event loop.
 */
public final class Bootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

  /** What a started service holds on to, so it can be shut down in order. */
  public record Running(JsonObject config, Infrastructure infrastructure, List<Roles.Deployment> deployments) {}

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
    Meters.registerAtZero();
    return ConfigLoader.load(vertx, overrides)
        .compose(config -> startInfrastructure(vertx, config))
        .map(running -> withTokenKey(vertx, running))
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
      JsonObject running = config.copy().mergeIn(infrastructure.connectionConfig()).mergeIn(devLedgerKeys(config,
          infrastructure));
      if (!infrastructure.connectionConfig().isEmpty()) {
        // in this form, so that other JVMs of a local cluster can be pointed at these servers (and verify the ledger)
        LOG.info("Embedded servers for other JVMs: {} {}={}", String.join(" ", infrastructure.connectionConfig()
            .stream().map(e -> e.getKey() + "=" + e.getValue()).toList()), ConfigKeys.LEDGER_PUBLIC_KEY,
            running.getString(ConfigKeys.LEDGER_PUBLIC_KEY));
      }
      running.put(ConfigKeys.QUOTE_SIMULATOR, simulatorOn(config, infrastructure));
      running.put(ConfigKeys.AUTH_READS, readsNeedingToken(config, infrastructure));
      return new Running(running, infrastructure, List.of());
    }, false);
  }

  /**
   * Auth needs a key to check tokens with. In dev mode (this process started embedded servers) a missing key
   * is made up for this run, and a token with every scope is printed; anywhere else a missing key stops startup.
   */
  private static Running withTokenKey(Vertx vertx, Running running) {
    JsonObject config = running.config();
    if (!config.getBoolean(ConfigKeys.AUTH_ENABLED)) {
      LOG.warn("AUTH: OFF (AUTH_ENABLED=false): every endpoint, writes and admin actions included, is open to anyone "
          + "who reaches the port");
      return running;
    }
    boolean devMode = !running.infrastructure().connectionConfig().isEmpty();
    if (!Tokens.hasKey(config)) {
      if (!devMode) {
        running.infrastructure().close();
        Tokens.requireKey(config);
      }
      config.put(ConfigKeys.AUTH_JWT_SECRET, Tokens.randomSecret());
    }
    if (devMode && !config.getString(ConfigKeys.AUTH_JWT_SECRET).isBlank()) {
      LOG.warn("AUTH: dev mode: writes and admin actions need a bearer token; this one has every scope ({}) and "
          + "lasts 12 h:\n  Authorization: Bearer {}\n  (AUTH_ENABLED=false turns auth off)", Tokens.ALL_SCOPES,
          Tokens.sign(vertx, config, "dev", Tokens.ALL_SCOPES, 12 * 60));
    }
    return running;
  }

  /** In dev mode, without configured ledger keys: the pair kept in the embedded data directory. */
  private static JsonObject devLedgerKeys(JsonObject config, Infrastructure infrastructure) {
    boolean configured = !config.getString(ConfigKeys.LEDGER_SIGNING_KEY).isBlank()
        || !config.getString(ConfigKeys.LEDGER_PUBLIC_KEY).isBlank();
    return configured || infrastructure.dataDirectory() == null ? new JsonObject()
        : DevLedgerKeys.in(infrastructure.dataDirectory(), infrastructure.keepsData());
  }

  /** AUTH_READS: {@code auto} (the default) keeps reads open only in dev mode (this JVM started embedded servers). */
  static String readsNeedingToken(JsonObject config, Infrastructure infrastructure) {
    String setting = config.getString(ConfigKeys.AUTH_READS);
    return !setting.equals("auto") ? setting : infrastructure.connectionConfig().isEmpty() ? "token" : "open";
  }

  /**
   * QUOTE_SIMULATOR: {@code auto} (the default) turns the simulator on only when this JVM started the embedded
   * broker, i.e. dev mode; a configured broker means a real environment, where it stays off unless set true.
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
    return vertx.executeBlocking(() -> SchemaMigrator.migrate(pgUri, rootCert), false)
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
        .map(deployed -> new Running(BoundPorts.applyTo(vertx, running.config()), running.infrastructure(), deployed))
        .onFailure(e -> running.infrastructure().close());
  }
}
