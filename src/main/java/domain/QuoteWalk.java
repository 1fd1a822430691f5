package domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Simulated quotes (seed 003's MockQuoteWriter): a geometric random walk per symbol, in cents, from
 * a plausible starting price. Each round most symbols move a few basis points; a few stay put, as
 * real tickers do between trades.
 */
public final class QuoteWalk {
  public static final String EXCHANGE = "SIM";

  /** Standard deviation of one step's relative move: about 8 basis points. */
  private static final double STEP_SIGMA = 0.0008;

  private static final double MOVE_PROBABILITY = 0.7;
  private static final BigDecimal MIN_PRICE = new BigDecimal("0.01");
  private static final Map<String, String> KNOWN_PRICES =
      Map.of(
          "AAPL", "189.50", "MSFT", "415.20", "NVDA", "121.40", "AMZN", "185.30", "GOOGL", "171.80",
          "META", "502.10", "TSLA", "248.90", "JPM", "201.60");

  private final Map<String, BigDecimal> prices = new LinkedHashMap<>();
  private final Random random;

  public QuoteWalk(List<String> symbols, Random random) {
    this.random = random;
    symbols.forEach(symbol -> prices.put(symbol, startingPrice(symbol)));
  }

  /** A known ticker's rough price, else a stable one between 20 and 500 derived from the symbol. */
  static BigDecimal startingPrice(String symbol) {
    String known = KNOWN_PRICES.get(symbol);
    return known != null
        ? new BigDecimal(known)
        : BigDecimal.valueOf(2_000 + Math.floorMod(symbol.hashCode(), 48_000), 2);
  }

  /** The ticks of the symbols that move this round, stamped {@code nowMs}. */
  public List<Tick> next(long nowMs) {
    List<Tick> ticks = new ArrayList<>();
    prices.replaceAll(
        (symbol, price) -> {
          if (random.nextDouble() >= MOVE_PROBABILITY) {
            return price;
          }
          BigDecimal moved =
              price
                  .multiply(BigDecimal.valueOf(Math.exp(STEP_SIGMA * random.nextGaussian())))
                  .setScale(2, RoundingMode.HALF_EVEN)
                  .max(MIN_PRICE);
          ticks.add(
              new Tick(
                  symbol,
                  moved,
                  BigDecimal.valueOf(1 + random.nextInt(50) * 10L),
                  nowMs,
                  EXCHANGE));
          return moved;
        });
    return ticks;
  }
}
