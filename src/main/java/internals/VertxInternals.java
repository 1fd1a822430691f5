package internals;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.impl.codec.json.JsonObjectCodec;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import java.util.Map;
import org.bson.codecs.Codec;

/**
 * The one place that uses Vert.x classes outside their public API; {@code VertxInternalsTest} pins
 * the versions they were checked against and breaks on an upgrade, so each use is checked again
 * then. What each one buys:
 *
 * <ul>
 *   <li>{@link #inlineValidator}: vertx-openapi's public {@code validate} runs a request's checks
 *       in an ordered {@code executeBlocking}, one worker at a time per event loop, which capped
 *       one API instance at a few thousand requests a second; the checks are pure computation, so
 *       they run inline on the event loop;
 *   <li>{@link #mongoJsonCodec}: the Vert.x Mongo client given driver settings of our own (the
 *       driver's NIO2 transport, fail-fast timeouts) needs its own JSON codec first in their
 *       registry, as its settings parser puts it;
 *   <li>{@link #requestData}: the correlation id lives in the local data of a duplicated context
 *       (one per HTTP request or bus message), and only such a context may hold it, or it would
 *       leak into unrelated work.
 * </ul>
 */
public final class VertxInternals {
  private VertxInternals() {}

  /**
   * Checks a request's parameters and body against an operation's schemas, on the calling thread.
   */
  public interface InlineValidator {
    void validateParameter(Parameter parameter, RequestParameter value) throws ValidatorException;

    void validateBody(RequestBody body, ValidatableRequest request) throws ValidatorException;
  }

  public static InlineValidator inlineValidator(Vertx vertx, OpenAPIContract contract) {
    RequestValidatorImpl validator = new RequestValidatorImpl(vertx, contract);
    return new InlineValidator() {
      @Override
      public void validateParameter(Parameter parameter, RequestParameter value) {
        validator.validateParameter(parameter, value);
      }

      @Override
      public void validateBody(RequestBody body, ValidatableRequest request) {
        validator.validateBody(body, request);
      }
    };
  }

  /**
   * The Vert.x Mongo client's codec of {@link JsonObject}, configured as the client configures it.
   */
  public static Codec<JsonObject> mongoJsonCodec(JsonObject config) {
    return new JsonObjectCodec(config);
  }

  /**
   * The local data of the current duplicated context (one request's or message's), or null
   * elsewhere.
   */
  public static Map<Object, Object> requestData() {
    Context context = Vertx.currentContext();
    return context instanceof ContextInternal internal && internal.isDuplicate()
        ? internal.localContextData()
        : null;
  }
}
