package settings;

import static contract.ConfigKeys.*;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/** The records writer's settings: the aggregate total above which an alert is raised. */
public record RecordSettings(BigDecimal alertThreshold) {
  public static RecordSettings from(JsonObject config) {
    return new RecordSettings(new BigDecimal(config.getValue(RECORDS_ALERT_THRESHOLD).toString()));
  }
}
