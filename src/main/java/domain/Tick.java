package domain;

import java.math.BigDecimal;

/**
 * One normalised price tick. Prices and sizes are exact decimals; {@code size} and {@code exchange}
 * may be null when the producer did not send them.
 */
public record Tick(
    String symbol, BigDecimal price, BigDecimal size, long timestampMs, String exchange) {}
