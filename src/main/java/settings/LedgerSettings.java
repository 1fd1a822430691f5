package settings;

import static contract.ConfigKeys.*;

import domain.HeadSignatures;
import io.vertx.core.json.JsonObject;

/** The settlement ledger's settings: how long its answers are cached, and its keys. */
public record LedgerSettings(long cacheTtlSeconds, String signingKey, String publicKey) {
  public static LedgerSettings from(JsonObject config) {
    return new LedgerSettings(
        config.getLong(LEDGER_CACHE_TTL_SECONDS),
        config.getString(LEDGER_SIGNING_KEY),
        config.getString(LEDGER_PUBLIC_KEY));
  }

  /**
   * The keys of the ledger role, which signs every block it seals: both, one pair; else startup
   * stops, naming them.
   */
  public HeadSignatures signingKeys() {
    return keys(required(LEDGER_SIGNING_KEY, signingKey), publicKey);
  }

  /** The key the chain is verified with, where it is only read (the API). */
  public static HeadSignatures verifyingKeys(String publicKey) {
    return keys(null, publicKey);
  }

  private static HeadSignatures keys(String signingKey, String publicKey) {
    required(LEDGER_PUBLIC_KEY, publicKey);
    try {
      return HeadSignatures.of(signingKey, publicKey);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          LEDGER_SIGNING_KEY + " / " + LEDGER_PUBLIC_KEY + ": " + e.getMessage(), e);
    }
  }

  private static String required(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          key
              + " is not set: the ledger signs every block with an Ed25519 key kept outside the"
              + " database (openssl genpkey -algorithm ed25519; openssl pkey -pubout for the public"
              + " key; dev mode makes a pair per data directory)");
    }
    return value;
  }
}
