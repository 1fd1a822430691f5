package security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.Main;
import contract.ConfigKeys;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import support.Await;
import support.ServiceUnderTest;

/** METRICS_ON_MANAGEMENT_PORT=true: Prometheus metrics leave the public API port for the management port. */
class ManagementPortTest {
  @Test
  void metricsMoveToTheManagementPort() {
    ServiceUnderTest service = ServiceUnderTest.start(Main.vertxWithMetrics(), new JsonObject()
        .put(ConfigKeys.ROLES, "api").put(ConfigKeys.METRICS_ON_MANAGEMENT_PORT, true));
    try {
      assertEquals(404, service.get("/metrics").statusCode(), "not on the API port");
      int management = service.config.getInteger(ConfigKeys.MANAGEMENT_PORT);
      var scraped = Await.result(service.http.get(management, "127.0.0.1", "/metrics").send());
      assertEquals(200, scraped.statusCode());
      assertTrue(scraped.bodyAsString().contains("vertx_http_server"), "Prometheus text");
      assertEquals(200, Await.result(service.http.get(management, "127.0.0.1", "/health/live").send()).statusCode());
    } finally {
      service.close();
    }
  }
}
