package security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Who the client is: the peer, unless the peer is a trusted proxy, whose X-Forwarded-For is read
 * from the right past the trusted hops; entries a client wrote itself (the left end) never count.
 */
@Tag("unit")
class ClientAddressesTest {
  private static final SocketAddress INGRESS = SocketAddress.inetSocketAddress(40000, "10.0.3.7");
  private static final SocketAddress STRANGER =
      SocketAddress.inetSocketAddress(40000, "203.0.113.9");

  private final ClientAddresses proxies =
      ClientAddresses.trusting("10.0.0.0/8, 2001:db8::/32, 192.168.1.1");

  @Test
  void withoutTrustedProxiesThePeerIsTheClientWhateverItsHeaderSays() {
    assertEquals("10.0.3.7", ClientAddresses.trusting("").clientOf(INGRESS, "198.51.100.4"));
  }

  @Test
  void anUntrustedPeerCannotNameAnotherClient() {
    assertEquals("203.0.113.9", proxies.clientOf(STRANGER, "198.51.100.4"));
  }

  @Test
  void aTrustedPeerNamesTheAddressItSawConnect() {
    assertEquals("198.51.100.4", proxies.clientOf(INGRESS, "198.51.100.4"));
  }

  @Test
  void whatTheClientPrependedItselfIsIgnored() {
    assertEquals(
        "198.51.100.4",
        proxies.clientOf(INGRESS, "1.2.3.4, 198.51.100.4"),
        "the rightmost untrusted entry is the one the trusted proxy wrote");
  }

  @Test
  void aChainOfTrustedProxiesIsWalkedToTheFirstUntrustedHop() {
    assertEquals(
        "198.51.100.4", proxies.clientOf(INGRESS, "1.2.3.4, 198.51.100.4, 192.168.1.1, 10.9.9.9"));
    assertEquals("2001:db9::1", proxies.clientOf(INGRESS, "2001:db9::1, 2001:db8::5"));
  }

  @Test
  void garbageInTheChainStopsAtTheLastAddressAProxyVouchedFor() {
    assertEquals("10.0.3.7", proxies.clientOf(INGRESS, "not-an-address"));
    assertEquals("198.51.100.4", proxies.clientOf(INGRESS, "evil.example.com, 198.51.100.4"));
  }

  @Test
  void onlyIpLiteralsAndBlocksAreAccepted() {
    for (String bad : new String[] {"proxy.internal", "10.0.0.0/33", "10.0.0.0/x", "300.1.1.1"}) {
      IllegalArgumentException refused =
          assertThrows(IllegalArgumentException.class, () -> ClientAddresses.trusting(bad));
      assertTrue(refused.getMessage().startsWith("TRUSTED_PROXIES"), refused.getMessage());
    }
  }
}
