package domain;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The raw event topics of the persistence service (seed 000): for each, its table, its completion
 * topic, its key columns and its typed fields. The store derives its SQL from this table.
 */
public enum RawEventType {
  TRANSACTION(
      "raw_transactions",
      "transactions",
      "raw_transactions_completed",
      List.of("transaction_id"),
      List.of(
          Field.text("transaction_id", 100, true),
          Field.text("portfolio_id", 100, true),
          Field.text("instrument_id", 100, true),
          Field.text("security_id", 100, true),
          Field.text("transaction_type", 30, true),
          Field.instant("transaction_date", true),
          Field.date("settlement_date", false),
          Field.decimal("quantity", true),
          Field.decimal("price", true),
          Field.decimal("gross_amount", true),
          Field.decimal("trade_fee", false),
          Field.currency("trade_currency", true),
          Field.currency("currency", true))),
  INSTRUMENT(
      "instruments",
      "instruments",
      "instruments_persisted",
      List.of("security_id"),
      List.of(
          Field.text("security_id", 100, true),
          Field.text("name", 200, true),
          Field.text("isin", 12, true),
          Field.currency("instrument_currency", true),
          Field.text("product_type", 50, true))),
  MARKET_PRICE(
      "market_prices",
      "market_prices",
      "market_prices_persisted",
      List.of("security_id", "price_date"),
      List.of(
          Field.text("security_id", 100, true),
          Field.date("price_date", true),
          Field.decimal("price", true),
          Field.currency("currency", true))),
  FX_RATE(
      "fx_rates",
      "fx_rates",
      "fx_rates_persisted",
      List.of("from_currency", "to_currency", "rate_date"),
      List.of(
          Field.currency("from_currency", true),
          Field.currency("to_currency", true),
          Field.date("rate_date", true),
          Field.decimal("rate", true)));

  /** One typed column of an event. */
  public record Field(String name, Kind kind, int maxLength, boolean required) {
    enum Kind {
      TEXT,
      DECIMAL,
      DATE,
      INSTANT,
      CURRENCY
    }

    static Field text(String name, int maxLength, boolean required) {
      return new Field(name, Kind.TEXT, maxLength, required);
    }

    static Field decimal(String name, boolean required) {
      return new Field(name, Kind.DECIMAL, 0, required);
    }

    static Field date(String name, boolean required) {
      return new Field(name, Kind.DATE, 0, required);
    }

    static Field instant(String name, boolean required) {
      return new Field(name, Kind.INSTANT, 0, required);
    }

    static Field currency(String name, boolean required) {
      return new Field(name, Kind.CURRENCY, 0, required);
    }

    Object read(Map<String, Object> json) {
      return switch (kind) {
        case TEXT -> Fields.text(json, name, maxLength, required);
        case DECIMAL -> Fields.decimal(json, name, required);
        case DATE -> Fields.date(json, name, required);
        case INSTANT -> Fields.instant(json, name, required);
        case CURRENCY -> Fields.currency(json, name, required);
      };
    }
  }

  /** A validated event: its column values in {@link #fields()} order and its entity key. */
  public record Parsed(RawEventType type, List<Object> values, String entityKey) {}

  private final String topic;
  private final String table;
  private final String completionTopic;
  private final List<String> keyColumns;
  private final List<Field> fields;

  RawEventType(
      String topic,
      String table,
      String completionTopic,
      List<String> keyColumns,
      List<Field> fields) {
    this.topic = topic;
    this.table = table;
    this.completionTopic = completionTopic;
    this.keyColumns = keyColumns;
    this.fields = fields;
  }

  public static Optional<RawEventType> ofTopic(String topic) {
    return Arrays.stream(values()).filter(t -> t.topic.equals(topic)).findFirst();
  }

  public static List<String> topics() {
    return Arrays.stream(values()).map(RawEventType::topic).toList();
  }

  public Parsed parse(Map<String, Object> json) {
    List<Object> values = fields.stream().map(f -> f.read(json)).toList();
    String key =
        String.join(
            "|", keyColumns.stream().map(c -> String.valueOf(values.get(indexOf(c)))).toList());
    return new Parsed(this, values, key);
  }

  private int indexOf(String column) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(column)) {
        return i;
      }
    }
    throw new IllegalStateException("no field " + column);
  }

  public String topic() {
    return topic;
  }

  public String table() {
    return table;
  }

  public String completionTopic() {
    return completionTopic;
  }

  public List<String> keyColumns() {
    return keyColumns;
  }

  public List<Field> fields() {
    return fields;
  }
}
