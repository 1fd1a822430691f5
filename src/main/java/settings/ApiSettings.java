package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/** The HTTP API's settings: its server, its limits, and what each group of routes reads. */
public record ApiSettings(
    String host,
    int port,
    long bodyLimitBytes,
    boolean docsEnabled,
    boolean metricsOnManagementPort,
    String corsAllowedOrigins,
    long requestTimeoutMs,
    long shutdownDrainMs,
    long healthCheckTimeoutMs,
    long maxOffset,
    Paging trades,
    Paging resources,
    long statisticsCacheMs,
    Records records,
    Caches caches,
    Quotes quotes,
    WebSocketSettings webSocket,
    String ledgerPublicKey,
    String trustedProxies,
    long healthCacheMs) {

  /**
   * Page sizes of a listing; how deep an offset may go is {@link #maxOffset()}, the same for all.
   */
  public record Paging(int defaultSize, int maxSize) {}

  public record Records(int maxPerDestination, long produceTimeoutMs) {}

  public record Caches(
      long portfolioTtlSeconds, long portfolioHistoryTtlSeconds, long ledgerTtlSeconds) {}

  /**
   * @param wsUpstream the push server the API port relays /ws/quotes to (API_WS_UPSTREAM); blank:
   *     this JVM's
   * @param pushPort the push server's configured port, for clients when it runs in another JVM
   */
  public record Quotes(
      int maxSymbols,
      int tickRetentionHours,
      String portfolioEventsTopic,
      boolean simulatorOn,
      String simulatorSymbols,
      String wsUpstream,
      int pushPort) {}

  public static ApiSettings from(JsonObject config) {
    return new ApiSettings(
        config.getString(HTTP_HOST),
        config.getInteger(HTTP_PORT),
        config.getLong(HTTP_BODY_LIMIT_BYTES),
        config.getBoolean(DOCS_ENABLED),
        ManagementSettings.metricsAndDocsHere(config),
        config.getString(CORS_ALLOWED_ORIGINS),
        config.getLong(REQUEST_TIMEOUT_MS),
        ConsumerSettings.drainMs(config),
        config.getLong(HEALTH_CHECK_TIMEOUT_MS),
        config.getLong(PAGING_MAX_OFFSET),
        new Paging(
            config.getInteger(TRADES_PAGE_SIZE_DEFAULT), config.getInteger(TRADES_PAGE_SIZE_MAX)),
        new Paging(
            config.getInteger(FINPULSE_PAGE_SIZE_DEFAULT),
            config.getInteger(FINPULSE_PAGE_SIZE_MAX)),
        config.getLong(STATISTICS_CACHE_MS),
        new Records(
            config.getInteger(RECORDS_MAX_PER_DESTINATION),
            config.getLong(RECORDS_PRODUCE_TIMEOUT_MS)),
        new Caches(
            config.getLong(PORTFOLIO_CACHE_TTL_SECONDS),
            config.getLong(PORTFOLIO_HISTORY_CACHE_TTL_SECONDS),
            config.getLong(LEDGER_CACHE_TTL_SECONDS)),
        new Quotes(
            config.getInteger(QUOTES_MAX_SYMBOLS),
            config.getInteger(TICKS_RETENTION_HOURS),
            config.getString(PORTFOLIO_EVENTS_TOPIC),
            SimulatorSettings.isOn(config),
            config.getString(QUOTE_SIMULATOR_SYMBOLS),
            config.getString(API_WS_UPSTREAM),
            config.getInteger(PUSH_HTTP_PORT)),
        WebSocketSettings.from(config),
        config.getString(LEDGER_PUBLIC_KEY),
        config.getString(TRUSTED_PROXIES),
        config.getLong(HEALTH_CACHE_MS));
  }
}
