package store;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading the results of {@code executeBatch}: one row set per tuple, chained through {@code
 * next()}.
 */
final class Batches {
  private Batches() {}

  /**
   * Per tuple, whether its statement changed a row (an {@code ON CONFLICT DO NOTHING} insert that
   * inserted).
   */
  static List<Boolean> changedRows(RowSet<Row> results) {
    List<Boolean> changed = new ArrayList<>();
    for (RowSet<Row> result = results; result != null; result = result.next()) {
      changed.add(result.rowCount() > 0);
    }
    return changed;
  }

  /** Per tuple, the first row its statement returned. */
  static List<Row> firstRows(RowSet<Row> results) {
    List<Row> rows = new ArrayList<>();
    for (RowSet<Row> result = results; result != null; result = result.next()) {
      rows.add(result.iterator().next());
    }
    return rows;
  }

  /** The items whose flag is set, in order. */
  static <T> List<T> selected(List<T> items, List<Boolean> flags) {
    List<T> selected = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (flags.get(i)) {
        selected.add(items.get(i));
      }
    }
    return selected;
  }
}
