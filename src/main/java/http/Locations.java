package http;

import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The Location header of a created object: its id is one percent-encoded path segment. */
final class Locations {

  private Locations() {}

  /** Ids are client-chosen text: a '/', '%' or space in one must not change the path. */
  static void put(RoutingContext ctx, String base, String id) {
    ctx.response().putHeader("Location", base + "/" + segment(id));
  }

  static String segment(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
