package http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import store.Page;

/** page/size query parameters (page counts from 1) and the paginated response body. */
public record Paging(int page, int size) {

  public static Paging from(RoutingContext ctx, int defaultSize, int maxSize) {
    int page = intParam(ctx, "page", 1, 1, Integer.MAX_VALUE);
    int size = intParam(ctx, "size", defaultSize, 1, maxSize);
    return new Paging(page, size);
  }

  public long offset() {
    return (long) (page - 1) * size;
  }

  public <T> JsonObject body(Page<T> result, Function<T, JsonObject> toJson, String path) {
    boolean more = offset() + result.items().size() < result.total();
    return new JsonObject()
        .put("items", new JsonArray(result.items().stream().map(toJson).toList()))
        .put("page", page)
        .put("size", size)
        .put("total", result.total())
        .put("next", more ? path + "?page=" + (page + 1) + "&size=" + size : null);
  }

  /** An optional whole-number query parameter within [min, max]; anything else is a 400 naming it. */
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
    throw ApiException.badParameter(name, name + " must be a whole number between " + min + " and " + max);
  }
}
