package domain;

import java.time.LocalDate;

/** A trade as the store keeps it. {@code version} orders the revisions of one {@code tradeId}. */
public record Trade(
    String tradeId,
    int version,
    String counterPartyId,
    String bookId,
    LocalDate maturityDate,
    LocalDate createdDate,
    boolean expired) {}
