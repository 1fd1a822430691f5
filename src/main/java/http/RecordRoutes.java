package http;

import contract.ConfigKeys;
import contract.Headers;
import contract.Topics;
import domain.IngestRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import messaging.KafkaConfigs;
import messaging.KafkaHeaders;
import store.RecordStore;

/**
 * Seed 002. {@code POST /records} answers 202 only once Kafka acknowledged the record on
 * {@code records.in} (acks=all), and 503 if it could not be: a 202 is never given for a record that
 * could be lost. {@code GET /records/aggregations} reads PostgreSQL.
 *
 * <p>The edge produces the record itself rather than sending it over the bus: this is ingress, not a
 * database write (the records role stores it from {@code records.in}), and a bus hop would add a second
 * place where an acknowledged-but-lost record could hide. Every HTTP instance of a JVM shares one producer.
 */
public final class RecordRoutes implements RouteModule {
  private static final int DEFAULT_DESTINATIONS = 50;
  private static final int MAX_DESTINATIONS = 200;
  private static final int MAX_RECORDS_PER_DESTINATION = 1000;

  private final RecordStore store;
  private final KafkaProducer<String, String> producer;
  private final long maxOffset;

  public RecordRoutes(Vertx vertx, RecordStore store, JsonObject config) {
    this.store = store;
    this.maxOffset = config.getLong(ConfigKeys.PAGING_MAX_OFFSET, 10_000L);
    Map<String, String> kafka = KafkaConfigs.producer(config);
    // Bounded waits, so a client gets its 503 quickly while Kafka is unreachable.
    long timeout = config.getLong(ConfigKeys.RECORDS_PRODUCE_TIMEOUT_MS, 5_000L);
    kafka.put("max.block.ms", Long.toString(timeout));
    kafka.put("delivery.timeout.ms", Long.toString(timeout));
    kafka.put("request.timeout.ms", Long.toString(timeout / 2));
    this.producer = KafkaProducer.createShared(vertx, "records-ingress", kafka);
  }

  @Override
  public void mount(Router router, BodyHandler body) {
    Json.post(router, "/records", body, this::accept);
    router.get("/records/aggregations").handler(this::aggregations);
  }

  @Override
  public Future<Void> close() {
    return producer.close();
  }

  private void accept(RoutingContext ctx) {
    JsonObject json = Json.bodyObject(ctx);
    IngestRecord record = IngestRecord.parse(json.getMap());
    String correlationId = CorrelationIds.of(ctx);
    KafkaProducerRecord<String, String> message = KafkaProducerRecord.create(Topics.RECORDS_IN, record.destinationId(), json.encode())
        .addHeader(Headers.CORRELATION_ID, correlationId);
    producer.send(message)
        .onSuccess(meta -> Json.respond(ctx, 202, new JsonObject().put("recordId", record.recordId())
            .put("status", "accepted").put("correlationId", correlationId)))
        .onFailure(e -> ctx.fail(ApiException.unavailable("record not accepted, Kafka is unreachable: " + e.getMessage())));
  }

  private void aggregations(RoutingContext ctx) {
    OffsetDateTime start = instant(ctx, "startTime");
    OffsetDateTime end = instant(ctx, "endTime");
    String type = ctx.request().getParam("type");
    if (type != null) {
      type = IngestRecord.type(type).wireName();
    }
    Paging paging = Paging.from(ctx, DEFAULT_DESTINATIONS, MAX_DESTINATIONS, maxOffset);
    store.aggregations(start, end, type, paging.byCursor() ? paging.after() : "", paging.size(), paging.offset(),
            MAX_RECORDS_PER_DESTINATION)
        .onSuccess(result -> Json.respond(ctx, 200, body(ctx, paging, result)))
        .onFailure(ctx::fail);
  }

  /** Keyed by the last destination of the page, and carrying the filters, like every listing's next link. */
  private static JsonObject body(RoutingContext ctx, Paging paging, JsonObject result) {
    JsonArray items = result.getJsonArray("items");
    String cursor = result.getBoolean("more")
        ? Cursor.encode(items.getJsonObject(items.size() - 1).getString("destinationId")) : null;
    JsonObject body = new JsonObject().put("items", items);
    if (!paging.byCursor()) {
      body.put("page", paging.page());
    }
    return body.put("size", paging.size())
        .put("total_estimate", result.getLong("total_estimate"))
        .put("maxRecordsPerDestination", MAX_RECORDS_PER_DESTINATION)
        .put("next", cursor == null ? null
            : ctx.request().path() + "?cursor=" + cursor + "&size=" + paging.size() + filters(ctx))
        .put("next_cursor", cursor);
  }

  private static String filters(RoutingContext ctx) {
    StringBuilder query = new StringBuilder();
    for (String name : new String[] {"startTime", "endTime", "type"}) {
      String value = ctx.request().getParam(name);
      if (value != null) {
        query.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
    return query.toString();
  }

  private static OffsetDateTime instant(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    try {
      return value == null ? null : Instant.parse(value).atOffset(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw ApiException.badParameter(name, name + " must be an ISO-8601 instant such as 2024-03-01T00:00:00Z");
    }
  }
}
