package contract;

/**
 * The scopes a bearer token may carry (its {@code scope} claim, space-separated) and the claim
 * naming the customer a customer token acts for. Customer scopes act on the caller's own objects;
 * staff scopes cross customers.
 */
public final class Scopes {
  /** Seed 001's trade store: create and replace trades (desk data, not owned by a customer). */
  public static final String TRADES_WRITE = "trades:write";

  /** {@code POST /records}. */
  public static final String RECORDS_WRITE = "records:write";

  /** Transfers out of the caller's own ledger accounts. */
  public static final String LEDGER_WRITE = "ledger:write";

  /** Writes of the caller's own FinPulse objects. */
  public static final String FINPULSE_WRITE = "finpulse:write";

  /** Staff: reads every customer's objects. */
  public static final String OPS_READ = "ops:read";

  /**
   * Staff: writes every customer's objects, reference data, and the destructive writes (deleting
   * customers, accounts).
   */
  public static final String OPS_WRITE = "ops:write";

  /** Staff: personal data (national id, date of birth, email, phone) unmasked. */
  public static final String PII_READ = "pii:read";

  /** Staff: the admin actions (delete and expire trades, seed, mint, repair). */
  public static final String ADMIN = "admin";

  /** The claim of a customer token naming the FinPulse customer it acts for. */
  public static final String CUSTOMER_ID_CLAIM = "customer_id";

  private Scopes() {}
}
