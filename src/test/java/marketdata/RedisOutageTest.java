package marketdata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.ServiceUnderTest;

/** With Redis unreachable, quotes and portfolios come from PostgreSQL: slower, never an error. */
@Tag("integration")
class RedisOutageTest {
  @RegisterExtension
  static final MarketData.Running running =
      MarketData.perClass(
          new JsonObject()
              .put(ConfigKeys.ROLES, "portfolio,api")
              .put(
                  ConfigKeys.REDIS_CONNECTION_STRING,
                  "redis://127.0.0.1:" + ServiceUnderTest.unusedPort()));

  private static final ServiceUnderTest service = running.service;

  @Test
  void quotesFallBackToPostgres() {
    String symbol = MarketData.symbol("DOWN");
    service.sql(
        "INSERT INTO realtime_quote (symbol, price, timestamp_ms) VALUES ($1, 42.42, 5)", symbol);
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> response = service.get("/api/v1/quotes?symbols=" + symbol);
      assertEquals(200, response.statusCode(), response::bodyAsString);
      assertEquals(
          "42.42",
          response
              .bodyAsJsonObject()
              .getJsonObject("quotes")
              .getJsonObject(symbol)
              .getString("price"));
    }
  }

  @Test
  void portfolioReadsAndSeedsWorkWithoutTheCache() {
    String id = MarketData.symbol("pf-down");
    JsonObject portfolio = new JsonObject().put("portfolio_id", id).put("cash", 100);
    assertEquals(200, service.postJson("/api/v1/seed", portfolio).statusCode());
    HttpResponse<Buffer> read = service.get("/api/v1/portfolio?portfolio_id=" + id);
    assertEquals(200, read.statusCode(), read::bodyAsString);
    assertEquals("MISS", read.getHeader("X-Cache"));
    assertEquals(portfolio, read.bodyAsJsonObject());
  }
}
