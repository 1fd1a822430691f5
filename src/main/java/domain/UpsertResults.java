package domain;

import java.util.List;

/** Reply to an {@link UpsertBatch}: the outcome of each upsert, in order. */
public record UpsertResults(List<UpsertResult> results) {}
