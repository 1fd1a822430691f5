package store;

import domain.ErrorCode;
import domain.Violation;
import domain.ViolationException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import resources.Field;
import resources.FieldType;
import resources.FinPulse;
import resources.Resource;
import resources.ResourceInput;

/**
 * The rows of one resource, with its SQL generated once from the description and prepared (the pool
 * caches prepared statements). Values travel as text and are cast by the database ({@code
 * $2::text::numeric}), so decimals keep every digit; decimals are read back as text for the same
 * reason. An entity is a JSON object of the id and every field.
 *
 * <p>Every read and write takes an {@code owner}: null reaches every row (staff, reference data), a
 * customer id only that customer's rows ({@link Owners}), so another customer's row is as absent as
 * one that never existed.
 */
public final class ResourceStore {
  private final Resource resource;
  private final List<Field> writable;
  private final Set<String> decimals;
  private final String insert;
  private final Statements any;
  private final Statements owned;

  /** For each reference to an owned resource: which of some ids name rows of the customer $2. */
  private final Map<String, String> ownedIds = new LinkedHashMap<>();

  /** The statements of one reach: every row, or an owner's (its id the last parameter of each). */
  private record Statements(
      String find, String update, String delete, Map<String, Listing> listings) {}

  /** The statements of a listing, whole or filtered by one reference. */
  private record Listing(String page, String after, String count) {}

  public ResourceStore(Resource resource) {
    this.resource = resource;
    this.writable =
        resource.fields().stream().filter(field -> ResourceInput.settable(field, true)).toList();
    this.decimals =
        resource.fields().stream()
            .filter(field -> field.type() == FieldType.DECIMAL)
            .map(Field::name)
            .collect(Collectors.toSet());
    String table = resource.table();
    String id = resource.id();
    String columns = selectList(resource);
    insert =
        "INSERT INTO "
            + table
            + " ("
            + id
            + ", "
            + names(resource.fields())
            + ") VALUES (COALESCE($1, "
            + "gen_random_uuid()::text), "
            + casts(resource.fields(), 2)
            + ") RETURNING "
            + columns;
    any = statements(columns, false);
    owned = resource.owned() ? statements(columns, true) : any;
    resource.references().stream()
        .filter(field -> FinPulse.named(field.references()).owned())
        .forEach(
            field -> {
              Resource parent = FinPulse.named(field.references());
              ownedIds.put(
                  field.name(),
                  "SELECT "
                      + parent.id()
                      + " FROM "
                      + parent.table()
                      + " WHERE "
                      + parent.id()
                      + " = ANY($1) AND "
                      + Owners.ownsRow(parent, parent.table(), 2));
            });
  }

  private Statements statements(String columns, boolean ownersOnly) {
    String table = resource.table();
    String byId = " WHERE " + resource.id() + " = $1";
    String update =
        "UPDATE "
            + table
            + " SET "
            + IntStream.range(0, writable.size())
                .mapToObj(i -> writable.get(i).name() + " = " + cast(writable.get(i), i + 2))
                .collect(Collectors.joining(", "))
            + byId
            + ownerCondition(ownersOnly, writable.size() + 2)
            + " RETURNING "
            + columns;
    Map<String, Listing> listings = new LinkedHashMap<>();
    listings.put(null, listing(columns, null, ownersOnly));
    resource
        .references()
        .forEach(field -> listings.put(field.name(), listing(columns, field.name(), ownersOnly)));
    return new Statements(
        "SELECT " + columns + " FROM " + table + byId + ownerCondition(ownersOnly, 2),
        update,
        "DELETE FROM "
            + table
            + byId
            + ownerCondition(ownersOnly, 2)
            + " RETURNING "
            + resource.id(),
        listings);
  }

  /**
   * The condition, ANDed to a WHERE, that the row is the owner's given as {@code $param}; nothing
   * for any row.
   */
  private String ownerCondition(boolean ownersOnly, int param) {
    return ownersOnly ? " AND " + Owners.ownsRow(resource, resource.table(), param) : "";
  }

  /**
   * Page by offset: ($1 limit, $2 offset[, $3 filter]); by key: ($1 limit, $2 after[, $3 filter]);
   * the count: ([$1 filter]); each with the owner after the others when {@code ownersOnly}.
   */
  private Listing listing(String columns, String filter, boolean ownersOnly) {
    String from = " FROM " + resource.table();
    String order = " ORDER BY " + resource.id() + " LIMIT $1";
    int pageOwner = filter == null ? 3 : 4;
    String pageWhere =
        conditions(filter == null ? null : filter + " = $3", ownersOnly ? owner(pageOwner) : null);
    String afterWhere =
        conditions(
            resource.id() + " > $2",
            filter == null ? null : filter + " = $3",
            ownersOnly ? owner(pageOwner) : null);
    String countWhere =
        conditions(
            filter == null ? null : filter + " = $1",
            ownersOnly ? owner(filter == null ? 1 : 2) : null);
    return new Listing(
        "SELECT " + columns + from + pageWhere + order + " OFFSET $2",
        "SELECT " + columns + from + afterWhere + order,
        "SELECT count(*)" + from + countWhere);
  }

  private String owner(int param) {
    return Owners.ownsRow(resource, resource.table(), param);
  }

  /** " WHERE a AND b" of the conditions given (nulls skipped), or nothing. */
  private static String conditions(String... conditions) {
    String joined =
        java.util.Arrays.stream(conditions)
            .filter(java.util.Objects::nonNull)
            .collect(Collectors.joining(" AND "));
    return joined.isEmpty() ? "" : " WHERE " + joined;
  }

  public Resource resource() {
    return resource;
  }

  /**
   * Inserts one entity: its id (null: generated) and the values of every field, computed ones
   * included.
   */
  public Future<JsonObject> create(SqlClient client, Map<String, String> values) {
    return client
        .preparedQuery(insert)
        .execute(insertTuple(values))
        .map(rows -> toJson(rows.iterator().next()));
  }

  /** Inserts all or none, in one round trip, in the caller's transaction. */
  public Future<List<JsonObject>> createAll(SqlClient tx, List<Map<String, String>> items) {
    List<Tuple> tuples = items.stream().map(this::insertTuple).toList();
    return tx.preparedQuery(insert)
        .executeBatch(tuples)
        .map(this::allRows)
        .recover(
            failure ->
                Future.failedFuture(
                    StoreFailures.isBadData(failure)
                        ? new ViolationException(itemRefusal(failure, items))
                        : failure));
  }

  /**
   * A batch the database refused, naming the item: the one holding the key value the error names
   * (for a duplicate, the last one, since an earlier one may be the row it duplicates).
   */
  private static Violation itemRefusal(Throwable failure, List<Map<String, String>> items) {
    Violation refusal = StoreFailures.refusal(failure);
    String value = StoreFailures.keyValue(failure);
    if (refusal.field() == null || value == null) {
      return refusal;
    }
    IntStream holding =
        IntStream.range(0, items.size())
            .filter(i -> value.equals(items.get(i).get(refusal.field())));
    OptionalInt index =
        refusal.code() == ErrorCode.DUPLICATE_KEY
            ? holding.reduce((first, last) -> last)
            : holding.findFirst();
    return index.isEmpty()
        ? refusal
        : Violation.of(
            refusal.code(),
            "[" + index.getAsInt() + "]." + refusal.field(),
            "item " + index.getAsInt() + ": " + refusal.message());
  }

  /**
   * Replaces every field a client sets; computed fields keep their values. Empty when the owner has
   * no such id.
   */
  public Future<Optional<JsonObject>> update(
      SqlClient client, String owner, String id, Map<String, String> values) {
    Tuple tuple = Tuple.of(id);
    writable.forEach(field -> tuple.addValue(values.get(field.name())));
    return client
        .preparedQuery(reach(owner).update())
        .execute(withOwner(tuple, owner))
        .map(this::first);
  }

  public Future<Boolean> delete(SqlClient client, String owner, String id) {
    return client
        .preparedQuery(reach(owner).delete())
        .execute(withOwner(Tuple.of(id), owner))
        .map(rows -> rows.rowCount() > 0);
  }

  public Future<Optional<JsonObject>> find(SqlClient client, String owner, String id) {
    return client
        .preparedQuery(reach(owner).find())
        .execute(withOwner(Tuple.of(id), owner))
        .map(this::first);
  }

  /**
   * Refuses items whose references name another customer's row as if it did not exist (as the
   * foreign key refuses a row that does not exist): every reference to an owned resource must name
   * one of {@code owner}'s rows. Nothing to check for null (staff).
   */
  public Future<Void> requireOwnedReferences(
      SqlClient client, String owner, List<Map<String, String>> items) {
    if (owner == null || ownedIds.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<Void>> checks =
        ownedIds.entrySet().stream()
            .map(
                reference ->
                    ownedOnly(client, owner, reference.getKey(), reference.getValue(), items))
            .toList();
    return Future.all(checks).mapEmpty();
  }

  private Future<Void> ownedOnly(
      SqlClient client, String owner, String field, String sql, List<Map<String, String>> items) {
    String[] ids =
        items.stream()
            .map(item -> item.get(field))
            .filter(java.util.Objects::nonNull)
            .distinct()
            .toArray(String[]::new);
    if (ids.length == 0) {
      return Future.succeededFuture();
    }
    return client
        .preparedQuery(sql)
        .execute(Tuple.of(ids, owner))
        .compose(
            rows -> {
              Set<String> found = new java.util.HashSet<>();
              rows.forEach(row -> found.add(row.getString(0)));
              for (int i = 0; i < items.size(); i++) {
                String value = items.get(i).get(field);
                if (value != null && !found.contains(value)) {
                  String where = items.size() == 1 ? field : "[" + i + "]." + field;
                  return Future.failedFuture(
                      new ViolationException(
                          Violation.of(
                              ErrorCode.REFERENCE_NOT_FOUND,
                              where,
                              (items.size() == 1 ? "" : "item " + i + ": ")
                                  + StoreFailures.missingReference(field))));
                }
              }
              return Future.<Void>succeededFuture();
            });
  }

  private Statements reach(String owner) {
    return owner == null ? any : owned;
  }

  /**
   * The owner, as the last parameter, when only its rows are reached; reference data has no owner
   * to name.
   */
  private Tuple withOwner(Tuple tuple, String owner) {
    return owner == null || !resource.owned() ? tuple : tuple.addValue(owner);
  }

  /** Whether the listing can be filtered on this field (a reference: its column is indexed). */
  public boolean filters(String field) {
    return field != null && any.listings().containsKey(field);
  }

  /**
   * A page in id order, after the key {@code after} (keyset) or at {@code offset}, optionally only
   * the rows whose reference {@code filterField} is {@code filterValue}; the total counts the
   * listing (these tables are small beside the trade store, whose totals are counters).
   */
  public Future<Page<JsonObject>> list(
      SqlClient client,
      String owner,
      String filterField,
      String filterValue,
      String after,
      int size,
      long offset) {
    Listing listing = reach(owner).listings().get(filterField);
    Tuple page = Tuple.of(size + 1, after != null ? after : offset);
    if (filterField != null) {
      page.addValue(filterValue);
    }
    Tuple count = filterField == null ? Tuple.tuple() : Tuple.of(filterValue);
    withOwner(page, owner);
    withOwner(count, owner);
    Future<RowSet<Row>> rows =
        client.preparedQuery(after != null ? listing.after() : listing.page()).execute(page);
    Future<RowSet<Row>> counted = client.preparedQuery(listing.count()).execute(count);
    return Future.all(rows, counted)
        .map(both -> page(rows.result(), size, counted.result().iterator().next().getLong(0)));
  }

  private Page<JsonObject> page(RowSet<Row> rows, int size, long total) {
    List<JsonObject> items = new ArrayList<>();
    rows.forEach(row -> items.add(toJson(row)));
    boolean more = items.size() > size;
    return new Page<>(more ? items.subList(0, size) : items, total, more);
  }

  private Tuple insertTuple(Map<String, String> values) {
    Tuple tuple = Tuple.of(values.get(resource.id()));
    resource.fields().forEach(field -> tuple.addValue(values.get(field.name())));
    return tuple;
  }

  private Optional<JsonObject> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(toJson(rows.iterator().next()));
  }

  private List<JsonObject> allRows(RowSet<Row> batch) {
    List<JsonObject> created = new ArrayList<>();
    for (RowSet<Row> rows = batch; rows != null; rows = rows.next()) {
      rows.forEach(row -> created.add(toJson(row)));
    }
    return created;
  }

  /**
   * Dates as YYYY-MM-DD, instants as ISO-8601 in UTC, decimals as exact text without the zeros the
   * column's fixed scale pads them with ({@code 12.5}, not {@code 12.5000000000}).
   */
  private JsonObject toJson(Row row) {
    JsonObject json = new JsonObject();
    for (int i = 0; i < row.size(); i++) {
      Object value = row.getValue(i);
      if (value instanceof OffsetDateTime instant) {
        value = DateTimeFormatter.ISO_INSTANT.format(instant);
      } else if (value instanceof LocalDate date) {
        value = date.toString();
      } else if (value instanceof String text && decimals.contains(row.getColumnName(i))) {
        value = new BigDecimal(text).stripTrailingZeros().toPlainString();
      }
      json.put(row.getColumnName(i), value);
    }
    return json;
  }

  private static String selectList(Resource resource) {
    return resource.id()
        + ", "
        + resource.fields().stream()
            .map(
                field ->
                    field.type() == FieldType.DECIMAL
                        ? field.name() + "::text AS " + field.name()
                        : field.name())
            .collect(Collectors.joining(", "));
  }

  private static String names(List<Field> fields) {
    return fields.stream().map(Field::name).collect(Collectors.joining(", "));
  }

  private static String casts(List<Field> fields, int first) {
    return IntStream.range(0, fields.size())
        .mapToObj(i -> cast(fields.get(i), first + i))
        .collect(Collectors.joining(", "));
  }

  private static String cast(Field field, int position) {
    return "$" + position + "::text::" + field.type().sqlType();
  }
}
