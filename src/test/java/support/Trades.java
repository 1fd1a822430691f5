package support;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;

/** Trade bodies in the seed-001 message format, for REST and Kafka tests. */
public final class Trades {
  private Trades() {}

  public static JsonObject json(String id, int version, String book, LocalDate maturity) {
    return new JsonObject()
        .put("trade_id", id)
        .put("version", version)
        .put("counter_party_id", "CP-1")
        .put("book_id", book)
        .put("maturity_date", maturity.toString())
        .put("created_date", TestClock.today().toString())
        .put("expired", false);
  }
}
