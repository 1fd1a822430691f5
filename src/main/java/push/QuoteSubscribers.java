package push;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which connections follow which symbol, so a fresh quote reaches its subscribers without a scan.
 */
final class QuoteSubscribers {
  private final Map<String, Set<QuoteConnection>> bySymbol = new HashMap<>();

  void add(QuoteConnection connection, Collection<String> symbols) {
    for (String symbol : symbols) {
      if (connection.symbols().add(symbol)) {
        bySymbol.computeIfAbsent(symbol, s -> new LinkedHashSet<>()).add(connection);
      }
    }
  }

  void remove(QuoteConnection connection, Collection<String> symbols) {
    Set<String> removed = new LinkedHashSet<>();
    for (String symbol : List.copyOf(symbols)) {
      if (connection.symbols().remove(symbol)) {
        removed.add(symbol);
        Set<QuoteConnection> followers = bySymbol.get(symbol);
        if (followers != null && followers.remove(connection) && followers.isEmpty()) {
          bySymbol.remove(symbol);
        }
      }
    }
    connection.unsubscribed(removed);
  }

  void removeAll(QuoteConnection connection) {
    remove(connection, connection.symbols());
  }

  Set<QuoteConnection> of(String symbol) {
    return bySymbol.getOrDefault(symbol, Set.of());
  }

  int symbolCount() {
    return bySymbol.size();
  }
}
