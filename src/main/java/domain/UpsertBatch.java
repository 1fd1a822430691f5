package domain;

import java.util.List;

/**
 * A consumer's run of trade upserts on {@code trades.upsert}, applied in order as one unit; each
 * has its own correlation id. Reply: {@link UpsertResults}, one result per upsert, in order.
 */
public record UpsertBatch(List<UpsertTrade> upserts, List<String> correlationIds) {}
