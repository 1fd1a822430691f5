package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;

/** The portfolio writer's and valuation's settings. */
public record PortfolioSettings(String eventsTopic, long valuationIntervalMs) {
  public static PortfolioSettings from(JsonObject config) {
    return new PortfolioSettings(
        config.getString(PORTFOLIO_EVENTS_TOPIC), config.getLong(PORTFOLIO_VALUATION_INTERVAL_MS));
  }
}
