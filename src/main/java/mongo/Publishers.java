package mongo;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Reactive-streams results of the MongoDB driver as Vert.x futures, completed on the caller's
 * context.
 */
public final class Publishers {
  private Publishers() {}

  /**
   * The last item the publisher emits (null when none), or its error, delivered on {@code context}.
   */
  public static <T> Future<T> last(Context context, Publisher<T> publisher) {
    Promise<T> promise = Promise.promise();
    publisher.subscribe(
        new Subscriber<T>() {
          private T last;

          @Override
          public void onSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(T item) {
            last = item;
          }

          @Override
          public void onError(Throwable failure) {
            context.runOnContext(v -> promise.fail(failure));
          }

          @Override
          public void onComplete() {
            T result = last;
            context.runOnContext(v -> promise.complete(result));
          }
        });
    return promise.future();
  }
}
