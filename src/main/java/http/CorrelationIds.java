package http;

import contract.Headers;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import logging.Correlation;
import messaging.KafkaHeaders;

/**
 * Takes X-Correlation-ID from the request (or makes one), echoes it, and puts it on bus messages.
 */
public final class CorrelationIds {
  private static final String KEY = "correlationId";

  private CorrelationIds() {}

  public static void handler(RoutingContext ctx) {
    String given = ctx.request().getHeader(Headers.HTTP_CORRELATION_ID);
    String id = KafkaHeaders.isUsable(given) ? given : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    Correlation.enter(id);
    ctx.response().putHeader(Headers.HTTP_CORRELATION_ID, id);
    ctx.next();
  }

  public static String of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  public static DeliveryOptions delivery(RoutingContext ctx, long timeoutMs) {
    return new DeliveryOptions()
        .setSendTimeout(timeoutMs)
        .addHeader(Headers.CORRELATION_ID, of(ctx));
  }
}
