package store;

import java.util.List;

/** One page of a listing and the total count it was cut from. */
public record Page<T>(List<T> items, long total) {}
