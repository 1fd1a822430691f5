package domain;

import contract.Scopes;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who calls: the token's subject, the FinPulse customer a customer token acts for ({@code
 * customer_id} claim), and its scopes. A customer token reaches only that customer's objects; staff
 * scopes ({@code ops:read}, {@code ops:write}, {@code admin}) cross customers; a token with neither
 * is a customer of nothing.
 */
public record Caller(String subject, String customerId, Set<String> scopes) {
  /** The owner that no object has: what a caller who is no customer and no staff may see. */
  public static final String NOBODY = "";

  /** No token, on an operation open to anyone: no customer's objects. */
  public static final Caller ANONYMOUS = new Caller(null, null, Set.of());

  /**
   * No token, where reads are open (AUTH_READS=open, dev mode): reads as staff would, personal data
   * masked.
   */
  public static final Caller OPEN_READER = new Caller(null, null, Set.of(Scopes.OPS_READ));

  /** Auth turned off (AUTH_ENABLED=false): nothing is checked. */
  public static final Caller UNCHECKED =
      new Caller(
          "auth-off",
          null,
          Set.of(Scopes.OPS_READ, Scopes.OPS_WRITE, Scopes.PII_READ, Scopes.ADMIN));

  public Caller {
    scopes = Set.copyOf(scopes);
  }

  /** The scopes of a space-separated {@code scope} claim. */
  public static Set<String> scopes(String claim) {
    return claim == null
        ? Set.of()
        : Arrays.stream(claim.trim().split("\\s+"))
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet());
  }

  public boolean has(String scope) {
    return scopes.contains(scope);
  }

  /**
   * The customer whose objects this caller may read: null for every customer's (staff), {@link
   * #NOBODY} for a token that acts for no customer.
   */
  public String readOwner() {
    return has(Scopes.OPS_READ) || has(Scopes.OPS_WRITE) || has(Scopes.ADMIN)
        ? null
        : ownCustomer();
  }

  /**
   * The customer whose objects this caller may write: null for every customer's (staff with
   * ops:write or admin).
   */
  public String writeOwner() {
    return has(Scopes.OPS_WRITE) || has(Scopes.ADMIN) ? null : ownCustomer();
  }

  /** Whether this caller sees the personal data of {@code customer}: with pii:read, or its own. */
  public boolean seesPersonalDataOf(String customer) {
    return has(Scopes.PII_READ) || customerId != null && customerId.equals(customer);
  }

  private String ownCustomer() {
    return customerId == null || customerId.isBlank() ? NOBODY : customerId;
  }
}
