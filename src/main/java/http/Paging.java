package http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import store.Page;

/**
 * Where a listing starts: after the key a {@code cursor} carries (keyset paging, one index range
 * scan however deep), or at {@code page} (from 1) of {@code size} for older clients, whose offset
 * is bounded by {@code maxOffset} because the database walks every skipped row. Neither: the first
 * page.
 *
 * @param after the last key seen, or null when the listing starts at {@code page}
 */
public record Paging(int page, int size, String after) {

  public static Paging from(RoutingContext ctx, int defaultSize, int maxSize, long maxOffset) {
    int size = intParam(ctx, "size", defaultSize, 1, maxSize);
    String cursor = ctx.request().getParam(Cursor.PARAM);
    if (cursor != null) {
      if (ctx.request().getParam("page") != null) {
        throw ApiException.badParameter(Cursor.PARAM, "give cursor or page, not both");
      }
      return new Paging(0, size, Cursor.decode(cursor));
    }
    int page = intParam(ctx, "page", 1, 1, Integer.MAX_VALUE);
    long offset = (long) (page - 1) * size;
    if (offset > maxOffset) {
      throw ApiException.badParameter(
          "page",
          "page "
              + page
              + " of size "
              + size
              + " starts "
              + offset
              + " rows in, past the maximum offset of "
              + maxOffset
              + ": page through with cursor instead (the "
              + "next link of each page carries it)");
    }
    return new Paging(page, size, null);
  }

  public boolean byCursor() {
    return after != null;
  }

  public long offset() {
    return byCursor() ? 0 : (long) (page - 1) * size;
  }

  /**
   * {@code next} is the link to the page after this one, keyed by this page's last item, and null
   * at the end; {@code next_cursor} is its bare cursor. {@code page} is there when the request gave
   * no cursor.
   *
   * @param query further query parameters the next link must carry ("" or "&name=value…")
   */
  public <T> JsonObject body(
      Page<T> result,
      Function<T, JsonObject> toJson,
      Function<T, String> keyOf,
      String path,
      String query) {
    String cursor =
        result.more()
            ? Cursor.encode(keyOf.apply(result.items().get(result.items().size() - 1)))
            : null;
    JsonObject body =
        new JsonObject().put("items", new JsonArray(result.items().stream().map(toJson).toList()));
    if (!byCursor()) {
      body.put("page", page);
    }
    return body.put("size", size)
        .put("total", result.total())
        .put("next", cursor == null ? null : path + "?cursor=" + cursor + "&size=" + size + query)
        .put("next_cursor", cursor);
  }

  /**
   * An optional whole-number query parameter within [min, max]; anything else is a 400 naming it.
   */
  public static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String raw = ctx.request().getParam(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.strip());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the accepted range
    }
    throw ApiException.badParameter(
        name, name + " must be a whole number between " + min + " and " + max);
  }
}
