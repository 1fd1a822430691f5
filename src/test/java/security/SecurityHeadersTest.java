package security;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import contract.ConfigKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Await;
import support.ServiceUnderTest;

/**
 * Every answer of the API port, a page, a JSON read and an error alike, carries the content policy,
 * no-framing and nosniff headers; HSTS only over TLS ({@link TlsTest} checks it there). The
 * dashboard runs under the policy in the browser test ({@code marketdata.DashboardBrowserTest}
 * fails on any violation).
 */
@Tag("integration")
class SecurityHeadersTest {
  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "api"));

  @Test
  void everyAnswerCarriesTheBrowserHeaders() {
    for (HttpResponse<Buffer> response :
        List.of(
            service.get("/"),
            service.get("/api/v1/trades?size=1"),
            Await.result(service.anonymous.get("/api/v1/trades").send()),
            service.get("/no/such/path"))) {
      assertAll(
          () -> assertEquals("DENY", response.getHeader("X-Frame-Options")),
          () -> assertEquals("nosniff", response.getHeader("X-Content-Type-Options")),
          () ->
              assertTrue(
                  response.getHeader("Content-Security-Policy").contains("frame-ancestors 'none'"),
                  response.getHeader("Content-Security-Policy")),
          () ->
              assertTrue(
                  response.getHeader("Content-Security-Policy").contains("script-src 'self'"),
                  response.getHeader("Content-Security-Policy")),
          () ->
              assertNull(
                  response.getHeader("Strict-Transport-Security"), "no HSTS over plain HTTP"));
    }
  }
}
