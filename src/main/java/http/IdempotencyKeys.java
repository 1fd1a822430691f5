package http;

import domain.IdempotencyKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import security.AccessControl;
import store.IdempotencyStore;

/**
 * The {@code Idempotency-Key} of a POST that creates or moves something: read with the caller's
 * subject and the request's fingerprint, sent to the writer with the write, and a reply given again
 * marked on the answer ({@value #REPLAYED_HEADER}: true).
 */
public final class IdempotencyKeys {
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";

  private IdempotencyKeys() {}

  /**
   * The request's key, or null when it sent none; a malformed key fails the request (400 naming the
   * header).
   */
  public static IdempotencyKey of(RoutingContext ctx) {
    Buffer body =
        ctx.body() == null || ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    return IdempotencyKey.of(
        AccessControl.callerOf(ctx).subject(),
        ctx.request().getHeader(IdempotencyKey.HEADER),
        ctx.request().method().name(),
        ctx.request().path(),
        body.getBytes());
  }

  /** Marks the answer of a reply given again, and takes the mark out of the reply. */
  public static JsonObject answered(RoutingContext ctx, JsonObject reply) {
    if (Boolean.TRUE.equals(reply.remove(IdempotencyStore.REPLAYED))) {
      ctx.response().putHeader(REPLAYED_HEADER, "true");
    }
    return reply;
  }
}
