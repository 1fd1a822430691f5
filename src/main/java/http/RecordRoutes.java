package http;

import contract.Headers;
import contract.Topics;
import domain.IngestRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
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
import java.util.List;
import java.util.Map;
import messaging.KafkaConfigs;
import messaging.Producers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import settings.ApiSettings;
import store.RecordStore;

/**
 * Seed 002. {@code POST /records} answers 202 only once Kafka acknowledged the record on {@code
 * records.in} (acks=all), and 503 if it could not be: a 202 is never given for a record that could
 * be lost. {@code GET /records/aggregations} reads PostgreSQL.
 *
 * <p>The edge produces the record itself rather than sending it over the bus: this is ingress, not
 * a database write (the records role stores it from {@code records.in}), and a bus hop would add a
 * second place where an acknowledged-but-lost record could hide. Every HTTP instance of a JVM
 * shares one producer.
 */
public final class RecordRoutes implements RouteModule {
  private static final int DEFAULT_DESTINATIONS = 50;
  private static final int MAX_DESTINATIONS = 200;

  /** Destinations read per statement while a whole listing streams out. */
  private static final int STREAM_CHUNK = 100;

  private static final List<String> PAGING_PARAMETERS = List.of("size", "page", Cursor.PARAM);
  private static final Logger LOG = LoggerFactory.getLogger(RecordRoutes.class);

  private final RecordStore store;
  private final KafkaProducer<String, String> producer;
  private final long maxOffset;

  /** 0: every record of a destination (seed 002); above 0, at most this many, the oldest first. */
  private final int maxRecordsPerDestination;

  /**
   * @param producer from {@link #ingressProducer}
   */
  public RecordRoutes(
      RecordStore store, KafkaProducer<String, String> producer, ApiSettings settings) {
    this.store = store;
    this.producer = producer;
    this.maxOffset = settings.maxOffset();
    this.maxRecordsPerDestination = settings.records().maxPerDestination();
  }

  /**
   * The JVM's records.in producer.
   *
   * @param clients the config the Kafka producer is made from
   */
  public static Future<KafkaProducer<String, String>> ingressProducer(
      Vertx vertx, JsonObject clients, ApiSettings settings) {
    Map<String, String> kafka = KafkaConfigs.producer(clients);
    // Bounded waits, so a client gets its 503 quickly while Kafka is unreachable.
    long timeout = settings.records().produceTimeoutMs();
    kafka.put("max.block.ms", Long.toString(timeout));
    kafka.put("delivery.timeout.ms", Long.toString(timeout));
    kafka.put("request.timeout.ms", Long.toString(timeout / 2));
    return Producers.shared(vertx, "records-ingress", kafka);
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
    KafkaProducerRecord<String, String> message =
        KafkaProducerRecord.create(Topics.RECORDS_IN, record.destinationId(), json.encode())
            .addHeader(Headers.CORRELATION_ID, correlationId);
    producer
        .send(message)
        .onSuccess(
            meta ->
                Json.respond(
                    ctx,
                    202,
                    new JsonObject()
                        .put("recordId", record.recordId())
                        .put("status", "accepted")
                        .put("correlationId", correlationId)))
        .onFailure(
            e -> {
              // the broker's words stay in the log, under the correlation id the client is given
              LOG.warn(
                  "Record {} not accepted (correlation id {}): {}",
                  record.recordId(),
                  correlationId,
                  e.toString());
              ctx.fail(
                  ApiException.unavailable(
                      "record not accepted: the broker did not take it; retry later"));
            });
  }

  /**
   * Every matching record, as seed 002 returns them: without {@code size}, {@code page} or {@code
   * cursor} the whole listing streams out in chunks, read page after page along the destination
   * key, so neither side holds it all; with one of them, one page. A failure after the first chunk
   * can only cut the response short.
   */
  private void aggregations(RoutingContext ctx) {
    RecordStore.AggregationFilter filter = filter(ctx);
    if (PAGING_PARAMETERS.stream().noneMatch(name -> ctx.request().getParam(name) != null)) {
      streamAll(ctx, filter);
      return;
    }
    Paging paging = Paging.from(ctx, DEFAULT_DESTINATIONS, MAX_DESTINATIONS, maxOffset);
    Future<JsonObject> page =
        store.destinations(
            filter,
            paging.byCursor() ? paging.after() : "",
            paging.size(),
            paging.offset(),
            maxRecordsPerDestination);
    Future<Long> estimate = store.estimateDestinations(filter);
    Future.all(page, estimate)
        .onSuccess(
            done -> Json.respond(ctx, 200, pageBody(ctx, paging, page.result(), estimate.result())))
        .onFailure(ctx::fail);
  }

  private RecordStore.AggregationFilter filter(RoutingContext ctx) {
    String type = ctx.request().getParam("type");
    return new RecordStore.AggregationFilter(
        instant(ctx, "startTime"),
        instant(ctx, "endTime"),
        type == null ? null : IngestRecord.type(type).wireName());
  }

  /**
   * The first chunk and the estimate decide the status (an outage is still a 503); the rest follows
   * as it is read.
   */
  private void streamAll(RoutingContext ctx, RecordStore.AggregationFilter filter) {
    Future<JsonObject> first =
        store.destinations(filter, "", STREAM_CHUNK, 0, maxRecordsPerDestination);
    Future<Long> estimate = store.estimateDestinations(filter);
    Future.all(first, estimate)
        .onSuccess(
            done -> {
              HttpServerResponse response =
                  ctx.response().setChunked(true).putHeader("content-type", "application/json");
              response.write("{\"items\":[");
              writeChunks(response, filter, first.result(), 0)
                  .onSuccess(
                      count ->
                          response.end(
                              "]," + streamTail(count, estimate.result()).encode().substring(1)))
                  .onFailure(
                      e -> {
                        LOG.warn(
                            "aggregations stream cut short after its first chunk: {}",
                            e.getMessage());
                        response.reset();
                      });
            })
        .onFailure(ctx::fail);
  }

  /**
   * What follows the streamed items: the fields of a page ({@link #pageBody}), the whole listing
   * being its one page. So {@code size}, a page's number of destinations, is how many it held
   * ({@code count}, as before), and {@code total_estimate} is the same planner's estimate a page of
   * this filter answers.
   */
  private JsonObject streamTail(int count, long totalEstimate) {
    return new JsonObject()
        .put("count", count)
        .put("size", count)
        .put("total_estimate", totalEstimate)
        .put("maxRecordsPerDestination", cap())
        .put("next", null)
        .put("next_cursor", null);
  }

  /** Writes one chunk of destinations, then reads and writes the next once this one is written. */
  private Future<Integer> writeChunks(
      HttpServerResponse response,
      RecordStore.AggregationFilter filter,
      JsonObject chunk,
      int written) {
    JsonArray items = chunk.getJsonArray("items");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < items.size(); i++) {
      text.append(written + i == 0 ? "" : ",").append(items.getJsonObject(i).encode());
    }
    int total = written + items.size();
    Future<Void> sent =
        items.isEmpty() ? Future.succeededFuture() : response.write(text.toString());
    if (!chunk.getBoolean("more")) {
      return sent.map(total);
    }
    String last = items.getJsonObject(items.size() - 1).getString("destinationId");
    return sent.compose(
            v -> store.destinations(filter, last, STREAM_CHUNK, 0, maxRecordsPerDestination))
        .compose(next -> writeChunks(response, filter, next, total));
  }

  /** RECORDS_MAX_PER_DESTINATION as answered: null when there is no cap. */
  private Integer cap() {
    return maxRecordsPerDestination > 0 ? maxRecordsPerDestination : null;
  }

  /**
   * Keyed by the last destination of the page, and carrying the filters, like every listing's next
   * link.
   */
  private JsonObject pageBody(
      RoutingContext ctx, Paging paging, JsonObject result, long totalEstimate) {
    JsonArray items = result.getJsonArray("items");
    String cursor =
        result.getBoolean("more")
            ? Cursor.encode(items.getJsonObject(items.size() - 1).getString("destinationId"))
            : null;
    JsonObject body = new JsonObject().put("items", items);
    if (!paging.byCursor()) {
      body.put("page", paging.page());
    }
    return body.put("size", paging.size())
        .put("total_estimate", totalEstimate)
        .put("maxRecordsPerDestination", cap())
        .put(
            "next",
            cursor == null
                ? null
                : ctx.request().path()
                    + "?cursor="
                    + cursor
                    + "&size="
                    + paging.size()
                    + filters(ctx))
        .put("next_cursor", cursor);
  }

  private static String filters(RoutingContext ctx) {
    StringBuilder query = new StringBuilder();
    for (String name : new String[] {"startTime", "endTime", "type"}) {
      String value = ctx.request().getParam(name);
      if (value != null) {
        query
            .append('&')
            .append(name)
            .append('=')
            .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
    return query.toString();
  }

  private static OffsetDateTime instant(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    try {
      return value == null ? null : Instant.parse(value).atOffset(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw ApiException.badParameter(
          name, name + " must be an ISO-8601 instant such as 2024-03-01T00:00:00Z");
    }
  }
}
