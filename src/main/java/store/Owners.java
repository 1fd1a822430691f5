package store;

import resources.FinPulse;
import resources.Resource;

/**
 * Ownership in SQL: the condition that a row, or the row an id names, belongs to the customer given
 * as a statement parameter, resolved through the resources' references in the same statement
 * ({@code EXISTS} subqueries along the path to the customer). Nothing is copied into the rows, so
 * an object moved to another parent (a staff correction) changes owner with it, at once. Reference
 * data belongs to nobody.
 */
public final class Owners {
  private Owners() {}

  /**
   * The condition that the row of {@code resource} aliased {@code alias} belongs to the customer
   * {@code $param}.
   */
  public static String ownsRow(Resource resource, String alias, int param) {
    return ownsRow(resource, alias, param, 1);
  }

  /**
   * The condition that the row of {@code resource} whose id is {@code idExpression} belongs to
   * {@code $param}.
   */
  public static String owns(Resource resource, String idExpression, int param) {
    return owns(resource, idExpression, param, 1);
  }

  private static String ownsRow(Resource resource, String alias, int param, int depth) {
    return switch (resource.ownership().kind()) {
      case CUSTOMER -> alias + "." + resource.id() + " = $" + param;
      case VIA -> owns(parentOf(resource), alias + "." + resource.ownership().via(), param, depth);
      case REFERENCE -> "FALSE";
    };
  }

  private static String owns(Resource resource, String idExpression, int param, int depth) {
    if (resource.ownership().kind() == Resource.Ownership.Kind.CUSTOMER) {
      return idExpression + " = $" + param;
    }
    String alias = "owner" + depth;
    return "EXISTS (SELECT 1 FROM "
        + resource.table()
        + " "
        + alias
        + " WHERE "
        + alias
        + "."
        + resource.id()
        + " = "
        + idExpression
        + " AND "
        + ownsRow(resource, alias, param, depth + 1)
        + ")";
  }

  /** The resource that {@code resource}'s owning reference points to. */
  private static Resource parentOf(Resource resource) {
    return FinPulse.named(resource.field(resource.ownership().via()).orElseThrow().references());
  }
}
