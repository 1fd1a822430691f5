package app;

import contract.ConfigKeys;
import infra.EmbeddedServers;
import infra.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import security.Tokens;

/**
 * Dev mode, only when DEV_MODE=true asks for it ({@code ./deploy/dev.sh}; never inferred from a
 * blank setting): an embedded server for every connection key left blank, a token secret and ledger
 * keys made up when none are configured, and the settings the other JVMs of a local cluster need,
 * logged in one line.
 */
final class DevMode {
  private static final Logger LOG = LoggerFactory.getLogger(DevMode.class);

  private DevMode() {}

  /**
   * The servers it started, and the config they and the made-up keys complete. Blocking: a worker
   * thread.
   */
  static Bootstrap.Running start(JsonObject config) {
    Infrastructure infrastructure = EmbeddedServers.start(config);
    JsonObject running = config.copy().mergeIn(infrastructure.connectionConfig());
    boolean madeSecret = config.getBoolean(ConfigKeys.AUTH_ENABLED) && !Tokens.hasKey(config);
    if (madeSecret) {
      running.put(ConfigKeys.AUTH_JWT_SECRET, Tokens.randomSecret());
    }
    if (infrastructure.dataDirectory() != null
        && config.getString(ConfigKeys.LEDGER_SIGNING_KEY).isBlank()
        && config.getString(ConfigKeys.LEDGER_PUBLIC_KEY).isBlank()) {
      running.mergeIn(DevLedgerKeys.in(infrastructure.dataDirectory(), infrastructure.keepsData()));
    }
    announce(infrastructure, running, madeSecret);
    return new Bootstrap.Running(running, infrastructure, List.of());
  }

  /**
   * In the form the other JVMs of a local cluster take as settings ({@code
   * deploy/cluster-local.sh}): the servers, the ledger's public key, and the token secret when dev
   * mode made it up.
   */
  private static void announce(
      Infrastructure infrastructure, JsonObject running, boolean madeSecret) {
    List<String> settings = new ArrayList<>();
    infrastructure.connectionConfig().forEach(e -> settings.add(e.getKey() + "=" + e.getValue()));
    settings.add(
        ConfigKeys.LEDGER_PUBLIC_KEY + "=" + running.getString(ConfigKeys.LEDGER_PUBLIC_KEY));
    if (madeSecret) {
      settings.add(
          ConfigKeys.AUTH_JWT_SECRET + "=" + running.getString(ConfigKeys.AUTH_JWT_SECRET));
    }
    LOG.info("Dev mode. Settings for other JVMs: {}", String.join(" ", settings));
  }

  /**
   * Only when dev mode made the secret up: a token signed with a configured one would be a real
   * credential.
   */
  static void printToken(Vertx vertx, JsonObject config, JsonObject running) {
    if (config.getBoolean(ConfigKeys.AUTH_ENABLED) && !Tokens.hasKey(config)) {
      LOG.warn(
          "AUTH: dev mode: writes and admin actions need a bearer token (reads too, outside dev"
              + " mode); this one has every scope ({}) and lasts 12 h:\n"
              + "  Authorization: Bearer {}\n"
              + "  (AUTH_ENABLED=false turns auth off)",
          Tokens.ALL_SCOPES,
          Tokens.sign(vertx, running, "dev", Tokens.ALL_SCOPES, 12 * 60));
    }
  }
}
