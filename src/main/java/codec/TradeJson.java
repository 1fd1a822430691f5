package codec;

import domain.ErrorCode;
import domain.Trade;
import domain.UpsertBatch;
import domain.UpsertResult;
import domain.UpsertResults;
import domain.UpsertTrade;
import domain.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;

/**
 * The JSON shape of trades and trade messages: the REST body, the Kafka value and the wire format.
 */
public final class TradeJson {
  private TradeJson() {}

  public static JsonObject toJson(Trade t) {
    return new JsonObject()
        .put("trade_id", t.tradeId())
        .put("version", t.version())
        .put("counter_party_id", t.counterPartyId())
        .put("book_id", t.bookId())
        .put("maturity_date", t.maturityDate().toString())
        .put("created_date", t.createdDate().toString())
        .put("expired", t.expired());
  }

  /**
   * Decodes a trade this service encoded itself (trusted); untrusted input goes through
   * TradeParser.
   */
  public static Trade fromJson(JsonObject j) {
    return new Trade(
        j.getString("trade_id"),
        j.getInteger("version"),
        j.getString("counter_party_id"),
        j.getString("book_id"),
        LocalDate.parse(j.getString("maturity_date")),
        LocalDate.parse(j.getString("created_date")),
        j.getBoolean("expired", false));
  }

  public static JsonObject toJson(Violation v) {
    return new JsonObject()
        .put("error", v.code().name())
        .put("message", v.message())
        .put("field", v.field());
  }

  public static Violation violationFromJson(JsonObject j) {
    return j == null
        ? null
        : new Violation(
            ErrorCode.valueOf(j.getString("error")), j.getString("message"), j.getString("field"));
  }

  static JsonObject upsertToJson(UpsertTrade u) {
    return new JsonObject().put("trade", toJson(u.trade())).put("source", u.source().name());
  }

  static UpsertTrade upsertFromJson(JsonObject j) {
    return new UpsertTrade(
        fromJson(j.getJsonObject("trade")), UpsertTrade.Source.valueOf(j.getString("source")));
  }

  static JsonObject resultToJson(UpsertResult r) {
    return new JsonObject()
        .put("outcome", r.outcome().name())
        .put("trade", r.trade() == null ? null : toJson(r.trade()))
        .put("violation", r.violation() == null ? null : toJson(r.violation()));
  }

  static UpsertResult resultFromJson(JsonObject j) {
    JsonObject trade = j.getJsonObject("trade");
    return new UpsertResult(
        UpsertResult.Outcome.valueOf(j.getString("outcome")),
        trade == null ? null : fromJson(trade),
        violationFromJson(j.getJsonObject("violation")));
  }

  static JsonObject batchToJson(UpsertBatch b) {
    return new JsonObject()
        .put("upserts", new JsonArray(b.upserts().stream().map(TradeJson::upsertToJson).toList()))
        .put("correlation_ids", new JsonArray(b.correlationIds()));
  }

  static UpsertBatch batchFromJson(JsonObject j) {
    return new UpsertBatch(
        j.getJsonArray("upserts").stream().map(u -> upsertFromJson((JsonObject) u)).toList(),
        j.getJsonArray("correlation_ids").stream().map(String.class::cast).toList());
  }

  static JsonObject resultsToJson(UpsertResults r) {
    return new JsonObject()
        .put("results", new JsonArray(r.results().stream().map(TradeJson::resultToJson).toList()));
  }

  static UpsertResults resultsFromJson(JsonObject j) {
    return new UpsertResults(
        j.getJsonArray("results").stream().map(r -> resultFromJson((JsonObject) r)).toList());
  }
}
