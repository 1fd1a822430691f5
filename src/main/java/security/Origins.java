package security;

import java.net.URI;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open the quotes WebSocket. A browser always sends {@code Origin} on a WebSocket
 * upgrade and lets any page open one, so without this check any site a trader visits could read the feed
 * with the trader's network access. Clients that are not browsers send no {@code Origin} and pass. With
 * WS_ALLOWED_ORIGINS empty, only pages served by this service's own host pass (the dashboard); otherwise
 * exactly the listed origins ({@code scheme://host[:port]}).
 */
public final class Origins {
  private final Set<String> allowed;

  private Origins(Set<String> allowed) {
    this.allowed = allowed;
  }

  /** @param list comma-separated origins, or empty for "this service's host only" */
  public static Origins of(String list) {
    return new Origins(Arrays.stream(list == null ? new String[0] : list.split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).map(Origins::normalized).collect(Collectors.toUnmodifiableSet()));
  }

  /**
   * @param origin the request's Origin header, or null
   * @param host the request's Host header (host[:port])
   */
  public boolean allows(String origin, String host) {
    if (origin == null) {
      return true;
    }
    if (!allowed.isEmpty()) {
      return allowed.contains(normalized(origin));
    }
    return host != null && hostName(origin).equalsIgnoreCase(stripPort(host));
  }

  public Set<String> list() {
    return allowed;
  }

  private static String normalized(String origin) {
    String trimmed = origin.strip().toLowerCase();
    return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }

  private static String hostName(String origin) {
    try {
      String host = URI.create(origin.strip()).getHost();
      return host == null ? "" : host;
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static String stripPort(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(1, end);
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }
}
