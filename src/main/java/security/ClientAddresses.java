package security;

import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * The address of the client behind a request: the peer's, unless the peer is one of TRUSTED_PROXIES
 * (addresses or CIDR blocks, comma-separated), whose {@code X-Forwarded-For} is then read from its
 * right end, past every trusted proxy, to the first address a trusted proxy saw connect. Anything
 * left of that was written by the client and is ignored. Vert.x Web's {@code allowForward} is not
 * used: it believes the leftmost entry of any peer's header, so a client could name itself anyone
 * and get a fresh rate-limit bucket per request.
 */
public final class ClientAddresses {
  private static final ClientAddresses PEER_ONLY = new ClientAddresses(List.of());

  /** One trusted block: the first {@code bits} bits of {@code network}. */
  private record Block(byte[] network, int bits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int shift = network.length * 8 - bits;
      return new BigInteger(1, address)
          .shiftRight(shift)
          .equals(new BigInteger(1, network).shiftRight(shift));
    }
  }

  private final List<Block> trusted;

  private ClientAddresses(List<Block> trusted) {
    this.trusted = trusted;
  }

  /**
   * @param trustedProxies TRUSTED_PROXIES: literal addresses or CIDR blocks ({@code 10.0.0.0/8},
   *     {@code ::1}), comma-separated; empty trusts none, so the peer is the client
   * @throws IllegalArgumentException naming an entry that is no address or block (host names are
   *     not resolved)
   */
  public static ClientAddresses trusting(String trustedProxies) {
    List<Block> blocks =
        Arrays.stream(trustedProxies == null ? new String[0] : trustedProxies.split(","))
            .map(String::strip)
            .filter(entry -> !entry.isEmpty())
            .map(ClientAddresses::block)
            .toList();
    return blocks.isEmpty() ? PEER_ONLY : new ClientAddresses(blocks);
  }

  private static Block block(String entry) {
    int slash = entry.indexOf('/');
    byte[] network = literal(slash < 0 ? entry : entry.substring(0, slash));
    if (network == null) {
      throw new IllegalArgumentException(
          "TRUSTED_PROXIES: '" + entry + "' is not an IP address or CIDR block");
    }
    int bits = network.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(entry.substring(slash + 1));
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 0 || bits > network.length * 8) {
        throw new IllegalArgumentException(
            "TRUSTED_PROXIES: '" + entry + "' has no valid prefix length");
      }
    }
    return new Block(network, bits);
  }

  /**
   * @param peer the connection's remote address
   * @param forwardedFor the request's {@code X-Forwarded-For}, or null
   */
  public String clientOf(SocketAddress peer, String forwardedFor) {
    String address = peer.hostAddress();
    if (forwardedFor == null || !isTrusted(address)) {
      return address;
    }
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].strip();
      if (literal(hop) == null) {
        return address; // garbage in the chain: the last address a trusted proxy vouches for
      }
      address = hop;
      if (!isTrusted(hop)) {
        break;
      }
    }
    return address;
  }

  /** A request's client, for the HTTP edge and the WebSocket handshake alike. */
  public String clientOf(SocketAddress peer, MultiMap headers) {
    return clientOf(peer, headers.get("X-Forwarded-For"));
  }

  private boolean isTrusted(String address) {
    if (trusted.isEmpty()) {
      return false;
    }
    byte[] bytes = literal(address);
    return bytes != null && trusted.stream().anyMatch(block -> block.contains(bytes));
  }

  /** The bytes of an IP literal; null for anything else (never a DNS lookup). */
  private static byte[] literal(String text) {
    String candidate =
        text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    boolean ipv4 = candidate.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = candidate.indexOf(':') >= 0 && candidate.matches("[0-9A-Fa-f:.]+");
    if (!ipv4 && !ipv6) {
      return null;
    }
    try {
      return InetAddress.getByName(candidate).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
