package resources;

/**
 * The column types a resource field may have, with the PostgreSQL type its value is cast to. Values
 * travel to the database as text and are cast there, so decimals keep every digit.
 */
public enum FieldType {
  TEXT("text"),
  CURRENCY("text"),
  CHOICE("text"),
  DECIMAL("numeric"),
  INTEGER("bigint"),
  BOOLEAN("boolean"),
  DATE("date"),
  TIMESTAMP("timestamptz");

  private final String sqlType;

  FieldType(String sqlType) {
    this.sqlType = sqlType;
  }

  public String sqlType() {
    return sqlType;
  }
}
