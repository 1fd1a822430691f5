package security;

import java.util.List;
import java.util.Set;

/**
 * What one operation of the API contract asks of its caller, as {@code openapi.yaml} declares it:
 * its {@code security} (no requirement: open to anyone; else the scope sets of which a token must
 * hold one whole, an empty set meaning any valid token) and its {@code x-owned} (the kind of
 * customer-owned object it reaches, or {@code none}) with {@code x-owned-id} (the parameter naming
 * that object; absent for a list, which is filtered to the caller's objects, and for a create,
 * whose references are checked). Every operation declares both: the contract is the one place that
 * says who may call what. An {@code expensive} one ({@code x-rate-limit: expensive}) takes from the
 * caller's smaller bucket ({@link RateLimiter.Tier#EXPENSIVE}).
 */
public record AccessRule(
    boolean open, List<Set<String>> alternatives, String owned, String ownedId, boolean expensive) {
  /** The kind of an operation that reaches no customer-owned object. */
  public static final String NOT_OWNED = "none";

  public AccessRule {
    alternatives = alternatives.stream().map(Set::copyOf).toList();
  }

  public AccessRule(boolean open, List<Set<String>> alternatives, String owned, String ownedId) {
    this(open, alternatives, owned, ownedId, false);
  }

  /** Whether a token with these scopes may call the operation. */
  public boolean allows(Set<String> scopes) {
    return alternatives.stream().anyMatch(scopes::containsAll);
  }

  public RateLimiter.Tier tier() {
    return expensive ? RateLimiter.Tier.EXPENSIVE : RateLimiter.Tier.DEFAULT;
  }

  /** Any valid token will do (a read, unless AUTH_READS=open lets it through without one). */
  public boolean anyToken() {
    return alternatives.stream().anyMatch(Set::isEmpty);
  }
}
