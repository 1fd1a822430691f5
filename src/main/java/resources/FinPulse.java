package resources;

import static resources.Field.choice;
import static resources.Field.computed;
import static resources.Field.of;
import static resources.Field.ref;
import static resources.Field.text;
import static resources.FieldType.BOOLEAN;
import static resources.FieldType.CURRENCY;
import static resources.FieldType.DATE;
import static resources.FieldType.DECIMAL;
import static resources.FieldType.INTEGER;
import static resources.FieldType.TIMESTAMP;

import java.util.List;
import java.util.Optional;

/**
 * The 18 resources of seed 003 (FinPulse). Money and quantities are exact decimals (NUMERIC); every
 * reference is a foreign key in V10__finpulse.sql. Three tables are shared with older features, one
 * table per concept: {@code instruments} (fed by the raw-event consumer), {@code portfolios} (the
 * seeded documents of POST /api/v1/seed) and {@code market_prices} (fed by the market_prices
 * topic). FinPulse's trades are {@code trade-executions}, because /api/v1/trades is seed 001's
 * trade store.
 */
public final class FinPulse {
  public static final String CUSTOMERS = "customers";
  public static final String ORDERS = "orders";
  public static final String TRADE_EXECUTIONS = "trade-executions";
  public static final String PAYMENTS = "payments";
  public static final String PORTFOLIOS = "portfolios";
  public static final String RISK_METRICS = "risk-metrics";

  public static final String ACCOUNTS = "accounts";
  private static final String INSTRUMENTS = "instruments";
  private static final String WATCHLISTS = "watchlists";

  public static final List<Resource> ALL =
      List.of(
          Resource.customers(
              CUSTOMERS,
              "customers",
              "customer_id",
              text("name", 200).mandatory(),
              text("email", 254).personal(),
              text("phone", 32).personal(),
              of("date_of_birth", DATE).personal(),
              text("national_id", 64).personal(),
              text("country", 2),
              choice("kyc_status", "pending", "verified", "rejected"),
              computed("ai_identity_score", DECIMAL)),
          Resource.owned(
              "user-preferences",
              "user_preferences",
              "preference_id",
              "customer_id",
              ref("customer_id", CUSTOMERS).mandatory(),
              choice("theme", "light", "dark"),
              text("language", 16),
              of("notifications_enabled", BOOLEAN),
              of("default_currency", CURRENCY)),
          Resource.owned(
              ACCOUNTS,
              "accounts",
              "account_id",
              "customer_id",
              ref("customer_id", CUSTOMERS).mandatory(),
              choice("account_type", "brokerage", "cash", "margin", "retirement").mandatory(),
              of("currency", CURRENCY).mandatory(),
              computed("balance", DECIMAL),
              choice("status", "open", "frozen", "closed")),
          Resource.referenceWithClientIds(
              INSTRUMENTS,
              "instruments",
              "security_id",
              text("name", 200).mandatory(),
              text("isin", 12).mandatory(),
              of("instrument_currency", CURRENCY).mandatory(),
              text("product_type", 50).mandatory(),
              text("symbol", 32),
              text("exchange", 32)),
          Resource.owned(
              PORTFOLIOS,
              "portfolios",
              "portfolio_id",
              "account_id",
              ref("account_id", ACCOUNTS).mandatory(),
              text("name", 200).mandatory(),
              of("base_currency", CURRENCY)),
          Resource.owned(
              "positions",
              "positions",
              "position_id",
              "portfolio_id",
              ref("portfolio_id", PORTFOLIOS).mandatory(),
              ref("security_id", INSTRUMENTS).mandatory(),
              of("quantity", DECIMAL).mandatory(),
              of("average_cost", DECIMAL),
              of("currency", CURRENCY)),
          Resource.owned(
              WATCHLISTS,
              "watchlists",
              "watchlist_id",
              "customer_id",
              ref("customer_id", CUSTOMERS).mandatory(),
              text("name", 200).mandatory()),
          Resource.owned(
              "watchlist-items",
              "watchlist_items",
              "watchlist_item_id",
              "watchlist_id",
              ref("watchlist_id", WATCHLISTS).mandatory(),
              ref("security_id", INSTRUMENTS).mandatory(),
              text("note", 500)),
          Resource.reference(
              "bonds",
              "bonds",
              "bond_id",
              ref("security_id", INSTRUMENTS).mandatory(),
              text("issuer", 200),
              of("face_value", DECIMAL).mandatory(),
              of("coupon_rate", DECIMAL),
              of("maturity_date", DATE).mandatory(),
              of("coupons_per_year", INTEGER)),
          Resource.reference(
              "options",
              "options",
              "option_id",
              ref("security_id", INSTRUMENTS).mandatory(),
              ref("underlying_security_id", INSTRUMENTS).mandatory(),
              choice("option_type", "call", "put").mandatory(),
              of("strike", DECIMAL).mandatory(),
              of("expiry_date", DATE).mandatory(),
              of("contract_size", INTEGER)),
          Resource.owned(
              ORDERS,
              "orders",
              "order_id",
              "account_id",
              ref("account_id", ACCOUNTS).mandatory(),
              ref("security_id", INSTRUMENTS).mandatory(),
              choice("side", "buy", "sell").mandatory(),
              of("quantity", DECIMAL).mandatory(),
              of("price", DECIMAL).mandatory(),
              choice("order_type", "market", "limit", "stop"),
              choice("status", "new", "filled", "cancelled"),
              computed("surveillance_score", DECIMAL),
              computed("surveillance_alert", BOOLEAN)),
          Resource.owned(
              TRADE_EXECUTIONS,
              "trade_executions",
              "trade_execution_id",
              "account_id",
              ref("order_id", ORDERS),
              ref("account_id", ACCOUNTS).mandatory(),
              ref("security_id", INSTRUMENTS).mandatory(),
              choice("side", "buy", "sell").mandatory(),
              of("quantity", DECIMAL).mandatory(),
              of("price", DECIMAL).mandatory(),
              of("executed_at", TIMESTAMP),
              computed("surveillance_score", DECIMAL),
              computed("surveillance_alert", BOOLEAN)),
          Resource.owned(
              "cash-transactions",
              "cash_transactions",
              "cash_transaction_id",
              "account_id",
              ref("account_id", ACCOUNTS).mandatory(),
              choice("type", "deposit", "withdrawal", "fee", "dividend", "interest").mandatory(),
              of("amount", DECIMAL).mandatory(),
              of("currency", CURRENCY).mandatory(),
              of("booked_at", TIMESTAMP)),
          Resource.owned(
              PAYMENTS,
              "payments",
              "payment_id",
              "account_id",
              ref("account_id", ACCOUNTS).mandatory(),
              text("counterparty", 200).mandatory(),
              of("amount", DECIMAL).mandatory(),
              of("currency", CURRENCY).mandatory(),
              choice("status", "pending", "completed", "failed").createOnly(),
              computed("fraud_score", DECIMAL),
              computed("fraud_recommendation", FieldType.CHOICE)),
          Resource.owned(
              "settlements",
              "settlements",
              "settlement_id",
              "trade_execution_id",
              ref("trade_execution_id", TRADE_EXECUTIONS).mandatory(),
              of("settlement_date", DATE).mandatory(),
              choice("status", "pending", "settled", "failed").mandatory(),
              of("amount", DECIMAL),
              of("currency", CURRENCY)),
          Resource.reference(
              "market-data",
              "market_prices",
              "market_data_id",
              text("security_id", Resource.MAX_ID_LENGTH).mandatory(),
              of("price_date", DATE).mandatory(),
              of("price", DECIMAL).mandatory(),
              of("currency", CURRENCY).mandatory()),
          Resource.owned(
              RISK_METRICS,
              "risk_metrics",
              "risk_metric_id",
              "portfolio_id",
              ref("portfolio_id", PORTFOLIOS).mandatory(),
              choice("metric_type", "var", "volatility").mandatory(),
              choice("method", "parametric", "historical"),
              of("confidence", DECIMAL),
              of("days", INTEGER),
              of("value", DECIMAL).mandatory(),
              of("currency", CURRENCY),
              of("as_of", TIMESTAMP)),
          Resource.owned(
              "valuations",
              "valuations",
              "valuation_id",
              "portfolio_id",
              ref("portfolio_id", PORTFOLIOS).mandatory(),
              of("valued_at", TIMESTAMP).mandatory(),
              of("total_value", DECIMAL).mandatory(),
              of("currency", CURRENCY).mandatory()));

  private FinPulse() {}

  public static Optional<Resource> byName(String name) {
    return ALL.stream().filter(resource -> resource.name().equals(name)).findFirst();
  }

  public static Resource named(String name) {
    return byName(name).orElseThrow(() -> new IllegalArgumentException("no resource " + name));
  }
}
