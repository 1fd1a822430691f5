package ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import contract.ConfigKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigDecimal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.ServiceUnderTest;

/**
 * With Redis unreachable the ledger only loses its cache: writes commit, reads come from
 * PostgreSQL.
 */
@Tag("integration")
class LedgerWithoutRedisTest {
  @RegisterExtension
  static final ServiceUnderTest service =
      ServiceUnderTest.perClass(
          new JsonObject()
              .put(ConfigKeys.ROLES, "api,ledger")
              .put(
                  ConfigKeys.REDIS_CONNECTION_STRING,
                  "redis://127.0.0.1:" + ServiceUnderTest.unusedPort()));

  private static Ledger ledger;

  @BeforeAll
  static void deploy() {
    ledger = new Ledger(service);
  }

  @Test
  void writesCommitAndReadsComeFromPostgres() {
    String payer = Ledger.account("no-redis-payer");
    String payee = Ledger.account("no-redis-payee");
    assertEquals(201, ledger.seed(payer, "20").statusCode());
    HttpResponse<Buffer> moved = ledger.transfer(payer, payee, "5");
    assertEquals(201, moved.statusCode(), moved::bodyAsString);

    HttpResponse<Buffer> balance = ledger.balanceResponse(payer);
    assertEquals(200, balance.statusCode(), balance::bodyAsString);
    assertEquals("MISS", balance.getHeader("X-Cache"));
    assertEquals(
        0,
        new BigDecimal("15")
            .compareTo(new BigDecimal(balance.bodyAsJsonObject().getString("balance"))));
    HttpResponse<Buffer> block =
        service.get(
            Ledger.BASE
                + "/blocks/"
                + moved.bodyAsJsonObject().getJsonObject("block").getLong("index"));
    assertEquals(200, block.statusCode());
    assertEquals("MISS", block.getHeader("X-Cache"));
    assertEquals(200, service.get(Ledger.BASE + "/blocks?size=3").statusCode());
  }
}
