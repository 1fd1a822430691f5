package verticles;

import contract.Addresses;
import contract.Headers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import logging.Correlation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.ExpirySettings;

/**
 * Every EXPIRY_INTERVAL_MS, asks the trade persistence verticle to flag matured trades. Any number
 * of JVMs may run this role: the persistence side claims the tick in PostgreSQL, so the work
 * happens once per interval across the cluster.
 */
public final class ExpiryVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiryVerticle.class);

  @Override
  public Future<?> start() {
    long interval = ExpirySettings.from(config()).intervalMs();
    vertx.setPeriodic(interval, id -> tick(interval));
    return Future.succeededFuture();
  }

  private void tick(long intervalMs) {
    String correlationId = UUID.randomUUID().toString();
    JsonObject request =
        new JsonObject().put("trigger", "timer").put("min_interval_ms", intervalMs);
    vertx
        .eventBus()
        .<JsonObject>request(
            Addresses.TRADES_EXPIRE,
            request,
            new DeliveryOptions().addHeader(Headers.CORRELATION_ID, correlationId))
        .onSuccess(
            reply ->
                Correlation.log(
                    correlationId, () -> LOG.debug("expiry tick: {}", reply.body().encode())))
        .onFailure(
            e ->
                Correlation.log(
                    correlationId,
                    () -> LOG.warn("expiry tick failed, next tick retries: {}", e.getMessage())));
  }
}
