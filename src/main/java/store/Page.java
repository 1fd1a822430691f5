package store;

import java.util.List;

/**
 * One page of a listing: its items, the total of the listing (a maintained counter, not a count of
 * the table), and whether rows follow the last item.
 */
public record Page<T>(List<T> items, long total, boolean more) {}
