package reliability;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import support.ServiceUnderTest;
import support.TestClock;
import support.Trades;

/**
 * A topic the service consumes, as the poison flood sees it: its consumer group, its valid messages
 * and their key, the fields a poison kind may break, and the natural keys it has stored.
 *
 * @param valid message {@code i}: {@code i < POISON_BASE} are the valid messages sent, larger ones
 *     the templates that poison kinds break (their keys never collide with a valid one)
 * @param key the Kafka key a real producer gives the message (its entity id)
 * @param naturalKey what a stored message is known by, from the message and where it landed
 * @param stored the natural keys this run's messages (valid or not) left in the target table
 */
record PoisonTopic(
    String name,
    String group,
    IntFunction<JsonObject> valid,
    Function<JsonObject, String> key,
    List<Field> fields,
    NaturalKey naturalKey,
    Function<ServiceUnderTest, Set<String>> stored) {

  static final int POISON_BASE = 5_000_000;

  /** What a field holds, so that each poison kind knows how to break it. */
  enum Type {
    TEXT,
    CODE,
    BOOLEAN,
    COUNT,
    DECIMAL,
    NON_NEGATIVE,
    POSITIVE,
    DATE,
    INSTANT,
    EPOCH_MS
  }

  record Field(String name, Type type, boolean required) {}

  interface NaturalKey {
    String of(JsonObject message, int partition, long offset);
  }

  /**
   * Every topic the service consumes, with ids under the prefix {@code p} so no other run
   * interferes.
   */
  static List<PoisonTopic> all(String p, long seed) {
    return List.of(
        trades(p),
        transactions(p),
        instruments(p),
        marketPrices(p),
        fxRates(seed),
        records(p),
        prices(p));
  }

  private static PoisonTopic trades(String p) {
    return new PoisonTopic(
        "trades",
        "trade-consumer-group",
        i -> Trades.json(p + "t" + i, 1, "B1", TestClock.today().plusDays(30)),
        m -> m.getString("trade_id"),
        List.of(
            req("trade_id", Type.TEXT),
            req("version", Type.COUNT),
            req("counter_party_id", Type.TEXT),
            req("book_id", Type.TEXT),
            req("maturity_date", Type.DATE),
            opt("created_date", Type.DATE),
            opt("expired", Type.BOOLEAN)),
        (m, partition, offset) -> m.getString("trade_id") + " v" + m.getInteger("version"),
        s ->
            keys(
                s,
                "SELECT trade_id || ' v' || version FROM trades WHERE starts_with(trade_id, $1)",
                p));
  }

  private static PoisonTopic transactions(String p) {
    return new PoisonTopic(
        "raw_transactions",
        "persistence-service",
        i ->
            new JsonObject()
                .put("transaction_id", p + "tx" + i)
                .put("portfolio_id", "portefeuille-é-株式-🚀")
                .put("instrument_id", "in-" + i % 10)
                .put("security_id", "sec-" + i % 10)
                .put("transaction_type", "BUY")
                .put("transaction_date", "2024-03-01T12:00:00Z")
                .put("settlement_date", "2024-03-04")
                .put("quantity", "10")
                .put("price", decimal(i))
                .put("gross_amount", "15")
                .put("trade_fee", 0.5)
                .put("trade_currency", "USD")
                .put("currency", "USD"),
        m -> m.getString("transaction_id"),
        List.of(
            req("transaction_id", Type.TEXT),
            req("portfolio_id", Type.TEXT),
            req("instrument_id", Type.TEXT),
            req("security_id", Type.TEXT),
            req("transaction_type", Type.TEXT),
            req("transaction_date", Type.INSTANT),
            opt("settlement_date", Type.DATE),
            req("quantity", Type.DECIMAL),
            req("price", Type.DECIMAL),
            req("gross_amount", Type.DECIMAL),
            opt("trade_fee", Type.DECIMAL),
            req("trade_currency", Type.CODE),
            req("currency", Type.CODE)),
        (m, partition, offset) -> m.getString("transaction_id"),
        s ->
            keys(
                s,
                "SELECT transaction_id FROM transactions WHERE starts_with(transaction_id, $1)",
                p));
  }

  private static PoisonTopic instruments(String p) {
    return new PoisonTopic(
        "instruments",
        "persistence-service",
        i ->
            new JsonObject()
                .put("security_id", p + "in" + i)
                .put("name", "Société Générale 株式会社 🚀 «" + i + "»")
                .put("isin", "US0378331005")
                .put("instrument_currency", "USD")
                .put("product_type", "EQUITY"),
        m -> m.getString("security_id"),
        List.of(
            req("security_id", Type.TEXT),
            req("name", Type.TEXT),
            req("isin", Type.TEXT),
            req("instrument_currency", Type.CODE),
            req("product_type", Type.TEXT)),
        (m, partition, offset) -> m.getString("security_id"),
        s -> keys(s, "SELECT security_id FROM instruments WHERE starts_with(security_id, $1)", p));
  }

  private static PoisonTopic marketPrices(String p) {
    return new PoisonTopic(
        "market_prices",
        "persistence-service",
        i ->
            new JsonObject()
                .put("security_id", p + "mp" + i)
                .put("price_date", "2024-03-01")
                .put("price", decimal(i))
                .put("currency", "EUR"),
        m -> m.getString("security_id"),
        List.of(
            req("security_id", Type.TEXT),
            req("price_date", Type.DATE),
            req("price", Type.DECIMAL),
            req("currency", Type.CODE)),
        (m, partition, offset) -> m.getString("security_id"),
        s ->
            keys(s, "SELECT security_id FROM market_prices WHERE starts_with(security_id, $1)", p));
  }

  /**
   * Keyed by currency pair: ten pairs from a base currency of this run (poison templates use other
   * pairs than valid messages), one date per message.
   */
  private static PoisonTopic fxRates(long seed) {
    String from = "Q" + letters(seed);
    LocalDate first = LocalDate.of(2000, 1, 1);
    return new PoisonTopic(
        "fx_rates",
        "persistence-service",
        i ->
            new JsonObject()
                .put("from_currency", from)
                .put("to_currency", (i < POISON_BASE ? "Z" : "Y") + letters(seed / 676 + i % 10))
                .put("rate_date", first.plusDays(i % POISON_BASE).toString())
                .put("rate", decimal(i)),
        m -> m.getString("from_currency") + "/" + m.getString("to_currency"),
        List.of(
            req("from_currency", Type.CODE),
            req("to_currency", Type.CODE),
            req("rate_date", Type.DATE),
            req("rate", Type.DECIMAL)),
        (m, partition, offset) -> m.getString("to_currency") + " " + m.getString("rate_date"),
        s ->
            keys(
                s,
                "SELECT to_currency || ' ' || rate_date FROM fx_rates WHERE from_currency = $1",
                from));
  }

  private static PoisonTopic records(String p) {
    return new PoisonTopic(
        "records.in",
        "records-ingestion",
        i ->
            new JsonObject()
                .put("recordId", p + "r" + i)
                .put("time", "2024-03-01T12:00:00Z")
                .put("sourceId", "s")
                .put("destinationId", p + "d" + i % 50)
                .put("type", i % 3 == 0 ? "negative" : "positive")
                .put("value", decimal(i))
                .put("unit", "SEK")
                .put("reference", "facture-№" + i % 7),
        m -> m.getString("destinationId"),
        List.of(
            req("recordId", Type.TEXT),
            req("time", Type.INSTANT),
            req("sourceId", Type.TEXT),
            req("destinationId", Type.TEXT),
            req("type", Type.CODE),
            req("value", Type.NON_NEGATIVE),
            req("unit", Type.TEXT),
            req("reference", Type.TEXT)),
        (m, partition, offset) -> m.getString("recordId"),
        s -> keys(s, "SELECT record_id FROM records WHERE starts_with(record_id, $1)", p));
  }

  /**
   * Ticks of 50 symbols keyed by symbol, as a feed sends them; stored ticks are known by their
   * offset.
   */
  private static PoisonTopic prices(String p) {
    return new PoisonTopic(
        "raw_prices",
        "finpulse-price-consumer",
        i ->
            new JsonObject()
                .put("symbol", p + "S" + i % 50)
                .put("price", decimal(i))
                .put("size", i % 100)
                .put("timestamp_ms", 1_700_000_000_000L + i)
                .put("exchange", "XNAS"),
        m -> m.getString("symbol"),
        List.of(
            req("symbol", Type.TEXT),
            req("price", Type.POSITIVE),
            opt("size", Type.NON_NEGATIVE),
            opt("timestamp_ms", Type.EPOCH_MS),
            opt("exchange", Type.TEXT)),
        (m, partition, offset) -> partition + "@" + offset,
        s ->
            keys(
                s,
                "SELECT source_partition || '@' || source_offset FROM prices_raw "
                    + "WHERE source_topic = 'raw_prices' AND starts_with(symbol, $1)",
                p));
  }

  List<Field> fieldsOf(Set<Type> types) {
    return fields.stream().filter(f -> types.contains(f.type())).toList();
  }

  List<Field> requiredFields() {
    return fields.stream().filter(Field::required).toList();
  }

  /** A positive decimal with two places, as exact text. */
  private static String decimal(int i) {
    return BigDecimal.valueOf(i % 9_973 + 1, 2).toPlainString();
  }

  private static String letters(long n) {
    return "" + (char) ('A' + Math.floorMod(n, 26)) + (char) ('A' + Math.floorMod(n / 26, 26));
  }

  private static Field req(String name, Type type) {
    return new Field(name, type, true);
  }

  private static Field opt(String name, Type type) {
    return new Field(name, type, false);
  }

  private static Set<String> keys(ServiceUnderTest service, String sql, Object argument) {
    Set<String> keys = new HashSet<>();
    service.sql(sql, argument).forEach(row -> keys.add(row.getString(0)));
    return keys;
  }
}
