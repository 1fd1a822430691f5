package security;

import io.vertx.core.net.HostAndPort;
import java.net.URI;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Which browser origins may open the quotes WebSocket. A browser always sends {@code Origin} on a
 * WebSocket upgrade and lets any page open one, so without this check any site a trader visits
 * could read the feed with the trader's network access. Clients that are not browsers send no
 * {@code Origin} and pass. With WS_ALLOWED_ORIGINS empty, only this service's own pages pass: the
 * same scheme, host and port as the request, or the same scheme and host on one of the service's
 * sibling ports (the dashboard is served from the API port and opens the push port). Otherwise
 * exactly the listed origins ({@code scheme://host[:port]}).
 */
public final class Origins {
  private final Set<String> allowed;

  private Origins(Set<String> allowed) {
    this.allowed = allowed;
  }

  /**
   * @param list comma-separated origins, or empty for "this service's own pages only"
   */
  public static Origins of(String list) {
    return new Origins(
        Arrays.stream(list == null ? new String[0] : list.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(Origins::normalized)
            .collect(Collectors.toUnmodifiableSet()));
  }

  /**
   * @param origin the request's Origin header, or null
   * @param host the request's Host header (host[:port])
   * @param secure whether the request came over TLS (its origin is then https)
   * @param siblingPorts the service's other ports on the same host whose pages may connect (the API
   *     port)
   */
  public boolean allows(String origin, String host, boolean secure, int... siblingPorts) {
    if (origin == null) {
      return true;
    }
    if (!allowed.isEmpty()) {
      return allowed.contains(normalized(origin));
    }
    URI page = parse(origin);
    String scheme = secure ? "https" : "http";
    int defaultPort = secure ? 443 : 80;
    HostAndPort self = host == null ? null : HostAndPort.parseAuthority(host.strip(), defaultPort);
    if (page == null
        || self == null
        || !scheme.equalsIgnoreCase(page.getScheme())
        || page.getHost() == null
        || !unbracketed(page.getHost()).equalsIgnoreCase(unbracketed(self.host()))) {
      return false;
    }
    int port = page.getPort() < 0 ? defaultPort : page.getPort();
    return port == self.port() || IntStream.of(siblingPorts).anyMatch(sibling -> sibling == port);
  }

  public Set<String> list() {
    return allowed;
  }

  private static String normalized(String origin) {
    String trimmed = origin.strip().toLowerCase();
    return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }

  private static URI parse(String origin) {
    try {
      return URI.create(origin.strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String unbracketed(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
