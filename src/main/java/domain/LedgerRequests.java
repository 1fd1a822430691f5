package domain;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Untrusted ledger request bodies into chain transactions. Account ids and currencies are
 * restricted to characters that cannot break the block serialization ({@link BlockHash}); amounts
 * are exact, positive decimals of at most 20 digits before and 10 after the point (NUMERIC(30,
 * 10)). Unknown fields are refused.
 */
public final class LedgerRequests {
  public static final String DEFAULT_CURRENCY = "SIM_COIN";
  public static final int MAX_ACCOUNT_ID = 64;
  private static final Pattern ACCOUNT_ID =
      Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_ACCOUNT_ID + "}");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z][A-Z0-9_]{0,15}");
  private static final Set<String> TRANSFER_FIELDS =
      Set.of("sender_account_id", "receiver_account_id", "amount", "currency");
  private static final Set<String> SEED_FIELDS = Set.of("account_id", "amount", "currency");

  private LedgerRequests() {}

  /**
   * {@code {sender_account_id, receiver_account_id, amount, currency = SIM_COIN}}; sender and
   * receiver differ.
   */
  public static ChainTransaction transfer(Map<String, Object> json) {
    onlyFields(json, TRANSFER_FIELDS);
    String sender = accountId(json, "sender_account_id");
    String receiver = accountId(json, "receiver_account_id");
    BigDecimal amount = amount(json);
    String currency = currency(json);
    if (sender.equals(receiver)) {
      throw Fields.invalid(
          "receiver_account_id", "receiver_account_id must differ from sender_account_id");
    }
    return ChainTransaction.transfer(sender, receiver, amount, currency);
  }

  /** {@code {account_id, amount, currency = SIM_COIN}}: a mint that credits the account. */
  public static ChainTransaction seed(Map<String, Object> json) {
    onlyFields(json, SEED_FIELDS);
    String account = accountId(json, "account_id");
    return ChainTransaction.mint(account, amount(json), currency(json));
  }

  /** An account id from a path or query parameter (null when absent). */
  public static String accountId(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw Fields.missing(field);
    }
    if (!ACCOUNT_ID.matcher(value).matches()) {
      throw Fields.invalid(
          field, field + " must be 1-" + MAX_ACCOUNT_ID + " letters, digits or . _ : -");
    }
    return value;
  }

  /** A currency from a query parameter; absent means {@link #DEFAULT_CURRENCY}. */
  public static String currency(String value) {
    if (value == null || value.isEmpty()) {
      return DEFAULT_CURRENCY;
    }
    if (!CURRENCY.matcher(value).matches()) {
      throw Fields.invalid(
          "currency",
          "currency must be 1-16 capital letters, digits or _, starting with a letter,"
              + " such as "
              + DEFAULT_CURRENCY);
    }
    return value;
  }

  private static void onlyFields(Map<String, Object> json, Set<String> allowed) {
    json.keySet().stream()
        .filter(name -> !allowed.contains(name))
        .sorted()
        .findFirst()
        .ifPresent(
            name -> {
              throw Fields.invalid(
                  Fields.abbreviate(name),
                  "unknown field "
                      + Fields.abbreviate(name)
                      + "; allowed: "
                      + String.join(", ", allowed.stream().sorted().toList()));
            });
  }

  private static String accountId(Map<String, Object> json, String field) {
    Object value = json.get(field);
    if (value != null && !(value instanceof String)) {
      throw Fields.invalid(field, field + " must be a string");
    }
    return accountId((String) value, field);
  }

  private static BigDecimal amount(Map<String, Object> json) {
    BigDecimal amount = Fields.decimal(json, "amount", true);
    if (amount.signum() <= 0) {
      throw Fields.invalid("amount", "amount must be positive");
    }
    return amount;
  }

  private static String currency(Map<String, Object> json) {
    Object value = json.get("currency");
    if (value != null && !(value instanceof String)) {
      throw Fields.invalid("currency", "currency must be a string");
    }
    return currency((String) value);
  }
}
