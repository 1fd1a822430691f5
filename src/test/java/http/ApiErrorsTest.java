package http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.mongodb.MongoTimeoutException;
import domain.ErrorCode;
import domain.Violation;
import domain.ViolationException;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.EncodeException;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Pool;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import support.Await;
import support.ServiceUnderTest;

/**
 * How {@link ApiErrors} classifies failures: the request's fault is a 4xx, an outage of a
 * dependency a 503, anything else a 500. No infrastructure: the outage cases include failures of
 * real, unreachable clients.
 */
@Tag("unit")
class ApiErrorsTest {
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  private static ApiErrors.Answer classify(Throwable failure) {
    return ApiErrors.classify(failure, "corr-1");
  }

  private static void assertAnswer(int status, ErrorCode code, Throwable failure) {
    ApiErrors.Answer answer = classify(failure);
    assertEquals(status, answer.status(), () -> failure + " → " + answer);
    assertEquals(code, answer.violation().code(), () -> failure + " → " + answer);
  }

  @Test
  void malformedJsonIs400WhateverJacksonRefused() {
    assertAnswer(
        400,
        ErrorCode.MALFORMED_JSON,
        new DecodeException("Failed to decode: Unexpected end-of-input"));
    assertAnswer(
        400,
        ErrorCode.MALFORMED_JSON,
        new DecodeException(
            "Failed to decode",
            new StreamConstraintsException(
                "Document nesting depth (1001) exceeds the maximum allowed (1000)")));
    assertAnswer(
        400,
        ErrorCode.MALFORMED_JSON,
        new StreamConstraintsException("Number value length exceeds 1000"));
  }

  /**
   * The form decoder's errors reached ApiErrors as a 500 (an IllegalArgumentException) or a 503.
   */
  @Test
  void requestDecoderFailuresAre4xx() {
    assertAnswer(
        400,
        ErrorCode.MALFORMED_REQUEST,
        new HttpPostRequestDecoder.ErrorDataDecoderException("Bad end of line"));
    assertAnswer(
        400,
        ErrorCode.MALFORMED_REQUEST,
        new HttpPostRequestDecoder.ErrorDataDecoderException(
            new IllegalArgumentException("invalid hex byte 'zz'")));
    assertAnswer(
        413, ErrorCode.PAYLOAD_TOO_LARGE, new HttpPostRequestDecoder.TooLongFormFieldException());
    assertAnswer(
        413, ErrorCode.PAYLOAD_TOO_LARGE, new TooLongHttpContentException("content too long"));
    assertAnswer(
        400,
        ErrorCode.MALFORMED_REQUEST,
        new UnreadableRequestException(
            new NumberFormatException("Invalid character in chunk size")));
    assertAnswer(
        413,
        ErrorCode.PAYLOAD_TOO_LARGE,
        new UnreadableRequestException(new TooLongHttpContentException("x")));
  }

  @Test
  void refusalsKeepTheirStatusAndViolation() {
    Violation missing = Violation.of(ErrorCode.MISSING_FIELD, "book_id", "book_id is required");
    assertEquals(new ApiErrors.Answer(400, missing), classify(new ViolationException(missing)));
    assertEquals(new ApiErrors.Answer(404, missing), classify(new ApiException(404, missing)));
    assertAnswer(
        404,
        ErrorCode.NOT_FOUND,
        new ReplyException(
            ReplyFailure.RECIPIENT_FAILURE,
            404,
            "{\"error\":\"NOT_FOUND\",\"message\":\"trade T1 not found\",\"field\":\"trade_id\"}"));
    assertAnswer(
        404,
        ErrorCode.NOT_FOUND,
        new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "not a violation"));
    assertAnswer(
        400,
        ErrorCode.INVALID_FIELD,
        new PgException("invalid byte sequence for encoding", "ERROR", "22021", null));
    assertAnswer(
        409, ErrorCode.DUPLICATE_KEY, new PgException("duplicate key", "ERROR", "23505", null));
  }

  @Test
  void dependencyFailuresAre503() {
    for (Throwable outage :
        new Throwable[] {
          new ConnectException("Connection refused"),
          new TimeoutException(),
          new ReplyException(ReplyFailure.TIMEOUT, "timed out"),
          new ReplyException(ReplyFailure.NO_HANDLERS, "none"),
          new ReplyException(
              ReplyFailure.RECIPIENT_FAILURE, 503, "trade not stored, store unavailable"),
          new PgException(
              "terminating connection due to administrator command", "FATAL", "57P01", null),
          new PgException("the database system is starting up", "FATAL", "57P03", null),
          new PgException("sorry, too many clients already", "FATAL", "53300", null),
          new PgException("could not serialize access", "ERROR", "40001", null),
          ClosedConnectionException.INSTANCE,
          new ConnectionPoolTooBusyException("too busy"),
          new MongoTimeoutException("Timed out while waiting for a server"),
          new org.apache.kafka.common.errors.TimeoutException("Expiring 1 record(s)"),
          new RuntimeException("wrapped", new ConnectException("Connection refused"))
        }) {
      assertAnswer(503, ErrorCode.SERVICE_UNAVAILABLE, outage);
    }
  }

  @Test
  void realPoolFailuresAre503() {
    Pool unreachable = pool(ServiceUnderTest.unusedPort());
    assertAnswer(
        503, ErrorCode.SERVICE_UNAVAILABLE, failureOf(unreachable.query("SELECT 1").execute()));
    Await.result(unreachable.close());
    assertAnswer(
        503, ErrorCode.SERVICE_UNAVAILABLE, failureOf(unreachable.query("SELECT 1").execute()));
  }

  /**
   * Not a request's fault, not an outage: a bug, answered 500 so that it is seen and fixed, not
   * retried.
   */
  @Test
  void everythingElseIsABug() {
    for (Throwable bug :
        new Throwable[] {
          new NullPointerException(),
          new IllegalStateException("state"),
          new IllegalArgumentException("argument"),
          new ClassCastException("cast"),
          new EncodeException("encode"),
          new VertxException("BodyHandler invoked after the request has ended"),
          new PgException("syntax error at or near \"SELEC\"", "ERROR", "42601", null),
          new PgException("relation \"trade\" does not exist", "ERROR", "42P01", null),
          new RuntimeException("wrapped", new IllegalStateException("state"))
        }) {
      assertAnswer(500, ErrorCode.INTERNAL_ERROR, bug);
    }
  }

  private static Pool pool(int port) {
    return PgBuilder.pool()
        .connectingTo(
            new PgConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setDatabase("none")
                .setUser("none")
                .setPassword("none"))
        .using(vertx)
        .build();
  }

  private static Throwable failureOf(Future<?> future) {
    Await.until("the query failed", Duration.ofSeconds(10), future::isComplete);
    assertTrue(future.failed(), "the query must fail");
    return future.cause();
  }
}
