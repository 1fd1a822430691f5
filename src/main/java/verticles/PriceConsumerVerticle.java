package verticles;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Placeholder (issue 5). */
public final class PriceConsumerVerticle extends VerticleBase {
  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
