package security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import settings.ManagementSettings;
import support.ServiceUnderTest;
import support.TestInfra;

/**
 * Outside dev mode (METRICS_ON_MANAGEMENT_PORT=auto, the default) Prometheus metrics and the API
 * docs leave the public API port for the management port; dev mode, or the setting false, keeps
 * them on the API port.
 */
@Tag("integration")
class ManagementPortTest {
  @Test
  void metricsAndDocsAreOnTheManagementPortByDefault() {
    ServiceUnderTest service =
        ServiceUnderTest.start(
            TestInfra.vertxWithMetrics(), new JsonObject().put(ConfigKeys.ROLES, "api"));
    try {
      assertEquals(404, service.get("/metrics").statusCode(), "not on the API port");
      assertEquals(404, service.get("/docs").statusCode(), "not on the API port");
      assertEquals(
          404, service.get("/docs/swagger-ui-bundle.js").statusCode(), "no asset on the API port");
      assertEquals(200, service.get("/openapi.yaml").statusCode(), "the contract stays public");

      assertTrue(
          service.management("/metrics").bodyAsString().contains("vertx_http_server"),
          "Prometheus text");
      assertEquals(200, service.management("/health/live").statusCode());
      assertTrue(
          service.management("/docs").bodyAsString().contains("/docs/swagger-ui-bundle.js"),
          "Swagger UI");
      assertEquals(200, service.management("/docs/swagger-ui-bundle.js").statusCode());
      assertEquals(
          200, service.management("/openapi.yaml").statusCode(), "the document the docs read");
    } finally {
      service.close();
    }
  }

  @Test
  void setToFalseTheyStayOnTheApiPort() {
    ServiceUnderTest service =
        ServiceUnderTest.start(
            TestInfra.vertxWithMetrics(),
            new JsonObject()
                .put(ConfigKeys.ROLES, "api")
                .put(ConfigKeys.METRICS_ON_MANAGEMENT_PORT, "false"));
    try {
      assertTrue(service.get("/metrics").bodyAsString().contains("vertx_http_server"));
      assertEquals(200, service.get("/docs").statusCode());
    } finally {
      service.close();
    }
  }

  @Test
  void autoMeansOutsideDevMode() {
    JsonObject auto = new JsonObject().put(ConfigKeys.METRICS_ON_MANAGEMENT_PORT, "auto");
    assertTrue(ManagementSettings.metricsAndDocsHere(auto.copy().put(ConfigKeys.DEV_MODE, false)));
    assertFalse(ManagementSettings.metricsAndDocsHere(auto.copy().put(ConfigKeys.DEV_MODE, true)));
    assertTrue(
        ManagementSettings.metricsAndDocsHere(
            new JsonObject()
                .put(ConfigKeys.METRICS_ON_MANAGEMENT_PORT, "true")
                .put(ConfigKeys.DEV_MODE, true)));
  }
}
