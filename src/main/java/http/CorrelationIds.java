package http;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import kafka.KafkaHeaders;
import verticles.Addresses;

/** Takes X-Correlation-ID from the request (or makes one), echoes it, and puts it on bus messages. */
public final class CorrelationIds {
  public static final String HEADER = "X-Correlation-ID";
  private static final String KEY = "correlationId";

  private CorrelationIds() {}

  public static void handler(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = KafkaHeaders.isUsable(given) ? given : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  public static String of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  public static DeliveryOptions delivery(RoutingContext ctx, long timeoutMs) {
    return new DeliveryOptions().setSendTimeout(timeoutMs).addHeader(Addresses.CORRELATION_ID, of(ctx));
  }
}
