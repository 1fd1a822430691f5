package store;

import domain.ErrorCode;
import domain.Violation;
import domain.ViolationException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
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
import resources.Resource;

/**
 * The rows of one resource, with its SQL generated once from the description and prepared (the pool caches
 * prepared statements). Values travel as text and are cast by the database ({@code $2::text::numeric}), so
 * decimals keep every digit; decimals are read back as text for the same reason. An entity is a JSON object
 * of the id and every field.
 */
public final class ResourceStore {
  private final Resource resource;
  private final List<Field> writable;
  private final Set<String> decimals;
  private final String insert;
  private final String update;
  private final String find;
  private final String delete;
  private final Map<String, Listing> listings = new LinkedHashMap<>();

  /** The statements of a listing, whole or filtered by one reference. */
  private record Listing(String page, String after, String count) {}

  public ResourceStore(Resource resource) {
    this.resource = resource;
    this.writable = resource.fields().stream().filter(field -> !field.computed()).toList();
    this.decimals = resource.fields().stream().filter(field -> field.type() == FieldType.DECIMAL).map(Field::name)
        .collect(Collectors.toSet());
    String table = resource.table();
    String id = resource.id();
    String columns = selectList(resource);
    insert = "INSERT INTO " + table + " (" + id + ", " + names(resource.fields()) + ") VALUES (COALESCE($1, "
        + "gen_random_uuid()::text), " + casts(resource.fields(), 2) + ") RETURNING " + columns;
    update = "UPDATE " + table + " SET " + IntStream.range(0, writable.size())
        .mapToObj(i -> writable.get(i).name() + " = " + cast(writable.get(i), i + 2)).collect(Collectors.joining(", "))
        + " WHERE " + id + " = $1 RETURNING " + columns;
    find = "SELECT " + columns + " FROM " + table + " WHERE " + id + " = $1";
    delete = "DELETE FROM " + table + " WHERE " + id + " = $1 RETURNING " + id;
    listings.put(null, listing(columns, null));
    resource.references().forEach(field -> listings.put(field.name(), listing(columns, field.name())));
  }

  /** Page by offset: ($1 limit, $2 offset[, $3 filter]); by key: ($1 limit, $2 after[, $3 filter]). */
  private Listing listing(String columns, String filter) {
    String from = " FROM " + resource.table();
    String order = " ORDER BY " + resource.id() + " LIMIT $1";
    String byFilter = filter == null ? "" : filter + " = $3";
    return new Listing(
        "SELECT " + columns + from + (filter == null ? "" : " WHERE " + byFilter) + order + " OFFSET $2",
        "SELECT " + columns + from + " WHERE " + resource.id() + " > $2" + (filter == null ? "" : " AND " + byFilter) + order,
        "SELECT count(*)" + from + (filter == null ? "" : " WHERE " + filter + " = $1"));
  }

  public Resource resource() {
    return resource;
  }

  /** Inserts one entity: its id (null: generated) and the values of every field, computed ones included. */
  public Future<JsonObject> create(SqlClient client, Map<String, String> values) {
    return client.preparedQuery(insert).execute(insertTuple(values)).map(rows -> toJson(rows.iterator().next()));
  }

  /** Inserts all or none, in one transaction and one round trip. */
  public Future<List<JsonObject>> createAll(Pool pool, List<Map<String, String>> items) {
    List<Tuple> tuples = items.stream().map(this::insertTuple).toList();
    return pool.withTransaction(tx -> tx.preparedQuery(insert).executeBatch(tuples)).map(this::allRows)
        .recover(failure -> Future.failedFuture(StoreFailures.isBadData(failure)
            ? new ViolationException(itemRefusal(failure, items)) : failure));
  }

  /**
   * A batch the database refused, naming the item: the one holding the key value the error names (for a duplicate,
   * the last one, since an earlier one may be the row it duplicates).
   */
  private static Violation itemRefusal(Throwable failure, List<Map<String, String>> items) {
    Violation refusal = StoreFailures.refusal(failure);
    String value = StoreFailures.keyValue(failure);
    if (refusal.field() == null || value == null) {
      return refusal;
    }
    IntStream holding = IntStream.range(0, items.size()).filter(i -> value.equals(items.get(i).get(refusal.field())));
    OptionalInt index = refusal.code() == ErrorCode.DUPLICATE_KEY
        ? holding.reduce((first, last) -> last) : holding.findFirst();
    return index.isEmpty() ? refusal : Violation.of(refusal.code(), "[" + index.getAsInt() + "]." + refusal.field(),
        "item " + index.getAsInt() + ": " + refusal.message());
  }

  /** Replaces every field a client sets; computed fields keep their values. Empty when there is no such id. */
  public Future<Optional<JsonObject>> update(SqlClient client, String id, Map<String, String> values) {
    Tuple tuple = Tuple.of(id);
    writable.forEach(field -> tuple.addValue(values.get(field.name())));
    return client.preparedQuery(update).execute(tuple).map(this::first);
  }

  public Future<Boolean> delete(SqlClient client, String id) {
    return client.preparedQuery(delete).execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
  }

  public Future<Optional<JsonObject>> find(SqlClient client, String id) {
    return client.preparedQuery(find).execute(Tuple.of(id)).map(this::first);
  }

  /** Whether the listing can be filtered on this field (a reference: its column is indexed). */
  public boolean filters(String field) {
    return field != null && listings.containsKey(field);
  }

  /**
   * A page in id order, after the key {@code after} (keyset) or at {@code offset}, optionally only the rows whose
   * reference {@code filterField} is {@code filterValue}; the total counts the listing (these tables are small
   * beside the trade store, whose totals are counters).
   */
  public Future<Page<JsonObject>> list(SqlClient client, String filterField, String filterValue, String after,
      int size, long offset) {
    Listing listing = listings.get(filterField);
    Tuple page = Tuple.of(size + 1, after != null ? after : offset);
    if (filterField != null) {
      page.addValue(filterValue);
    }
    Tuple count = filterField == null ? Tuple.tuple() : Tuple.of(filterValue);
    Future<RowSet<Row>> rows = client.preparedQuery(after != null ? listing.after() : listing.page()).execute(page);
    Future<RowSet<Row>> counted = client.preparedQuery(listing.count()).execute(count);
    return Future.all(rows, counted).map(both -> page(rows.result(), size, counted.result().iterator().next().getLong(0)));
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
   * Dates as YYYY-MM-DD, instants as ISO-8601 in UTC, decimals as exact text without the zeros the column's
   * fixed scale pads them with ({@code 12.5}, not {@code 12.5000000000}).
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
    return resource.id() + ", " + resource.fields().stream()
        .map(field -> field.type() == FieldType.DECIMAL ? field.name() + "::text AS " + field.name() : field.name())
        .collect(Collectors.joining(", "));
  }

  private static String names(List<Field> fields) {
    return fields.stream().map(Field::name).collect(Collectors.joining(", "));
  }

  private static String casts(List<Field> fields, int first) {
    return IntStream.range(0, fields.size()).mapToObj(i -> cast(fields.get(i), first + i)).collect(Collectors.joining(", "));
  }

  private static String cast(Field field, int position) {
    return "$" + position + "::text::" + field.type().sqlType();
  }
}
