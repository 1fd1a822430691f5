package http;

import cache.QuoteLookup;
import codec.QuoteJson;
import domain.QuoteSymbols;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import settings.ApiSettings;
import store.QuoteStore;

/**
 * /api/v1/quotes: latest quotes (read through Redis), price history, and OHLC bars (computed or
 * stored).
 */
public final class QuoteRoutes {
  private static final String BASE = "/api/v1/quotes";

  /** A week: beyond the tick retention the points are 1-minute bars. */
  private static final int MAX_HISTORY_MINUTES = 10_080;

  private static final int MAX_OHLC_MINUTES = 10_080;

  /**
   * Points per history answer; the newest are kept and "truncated" says older ones were left out.
   */
  private static final int MAX_HISTORY_POINTS = 10_000;

  private static final Map<String, Integer> INTERVALS =
      Map.of("1m", 1, "5m", 5, "15m", 15, "1h", 60);
  private static final Map<String, Integer> STORED_INTERVALS = Map.of("1m", 1, "5m", 5);

  private final QuoteLookup lookup;
  private final QuoteStore store;
  private final int maxSymbols;
  private final int tickRetentionHours;

  public QuoteRoutes(QuoteLookup lookup, QuoteStore store, ApiSettings.Quotes settings) {
    this.lookup = lookup;
    this.store = store;
    this.maxSymbols = settings.maxSymbols();
    this.tickRetentionHours = settings.tickRetentionHours();
  }

  public void mount(Router router) {
    router.get(BASE).handler(this::latest);
    router.get(BASE + "/history").handler(this::history);
    router.get(BASE + "/ohlc").handler(this::ohlc);
    router.get(BASE + "/bars").handler(this::bars);
  }

  private void latest(RoutingContext ctx) {
    List<String> symbols = QuoteSymbols.fromCsv(ctx.request().getParam("symbols"), maxSymbols);
    lookup
        .latest(symbols)
        .onSuccess(
            quotes ->
                Json.respond(ctx, 200, new JsonObject().put("quotes", QuoteJson.toJson(quotes))))
        .onFailure(ctx::fail);
  }

  private void history(RoutingContext ctx) {
    List<String> symbols = QuoteSymbols.fromCsv(ctx.request().getParam("symbols"), maxSymbols);
    int minutes = Paging.intParam(ctx, "minutes", 5, 1, MAX_HISTORY_MINUTES);
    store
        .history(symbols, minutes, MAX_HISTORY_POINTS, tickRetentionHours)
        .onSuccess(
            history ->
                Json.respond(
                    ctx,
                    200,
                    new JsonObject()
                        .put("minutes", minutes)
                        .put(
                            "history",
                            new JsonObject(new LinkedHashMap<String, Object>(history.bySymbol())))
                        .put("truncated", history.truncated())))
        .onFailure(ctx::fail);
  }

  /** Bars computed from quote_tick at read time, of any of {@link #INTERVALS}. */
  private void ohlc(RoutingContext ctx) {
    respondBars(ctx, INTERVALS, (symbol, width, minutes) -> store.ohlc(symbol, width, minutes));
  }

  /**
   * The stored 1- and 5-minute bars (quote_ohlc_1min, quote_ohlc_5min): what candles are drawn
   * from.
   */
  private void bars(RoutingContext ctx) {
    respondBars(ctx, STORED_INTERVALS, store::storedBars);
  }

  private interface BarReader {
    Future<JsonArray> read(String symbol, int widthMinutes, int minutes);
  }

  private void respondBars(RoutingContext ctx, Map<String, Integer> intervals, BarReader reader) {
    List<String> symbols = QuoteSymbols.fromCsv(ctx.request().getParam("symbol"), 1);
    String interval = ctx.request().getParam("interval", "1m").strip().toLowerCase(Locale.ROOT);
    Integer bucketMinutes = intervals.get(interval);
    if (bucketMinutes == null) {
      throw ApiException.badParameter(
          "interval",
          "interval must be one of "
              + String.join(
                  ", ",
                  intervals.keySet().stream()
                      .sorted(Comparator.comparing(intervals::get))
                      .toList()));
    }
    int minutes = Paging.intParam(ctx, "minutes", 60, 1, MAX_OHLC_MINUTES);
    reader
        .read(symbols.get(0), bucketMinutes, minutes)
        .onSuccess(
            bars ->
                Json.respond(
                    ctx,
                    200,
                    new JsonObject()
                        .put("symbol", symbols.get(0))
                        .put("interval", interval)
                        .put("minutes", minutes)
                        .put("bars", bars)))
        .onFailure(ctx::fail);
  }
}
