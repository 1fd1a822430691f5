package openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import support.ServiceUnderTest;

/**
 * The quote reads take {@code minutes} up to a week (10080), as the code, the docs and seed 003's
 * fallback to 1-minute bars need, and the contract that validates every request says the same: the
 * contract capped the history at 1440 once, refusing what the handler serves.
 */
@Tag("integration")
class QuoteMinutesContractTest {
  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(new JsonObject().put(ConfigKeys.ROLES, "api"));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/v1/quotes/history?symbols=AAPL",
        "/api/v1/quotes/ohlc?symbol=AAPL",
        "/api/v1/quotes/bars?symbol=AAPL"
      })
  void aWeekIsTheLongestSpan(String read) {
    HttpResponse<Buffer> week = service.get(read + "&minutes=10080");
    assertEquals(200, week.statusCode(), week::bodyAsString);
    assertEquals(10_080, week.bodyAsJsonObject().getInteger("minutes"));
    HttpResponse<Buffer> longer = service.get(read + "&minutes=10081");
    assertEquals(400, longer.statusCode(), longer::bodyAsString);
    assertEquals("minutes", longer.bodyAsJsonObject().getString("field"));
  }
}
