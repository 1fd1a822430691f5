package http;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A group of routes the HTTP verticle mounts; it closes the clients it made itself (not those it
 * was given) on stop.
 */
public interface RouteModule {
  void mount(Router router, BodyHandler body);

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
