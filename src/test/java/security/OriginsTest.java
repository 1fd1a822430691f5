package security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The WebSocket Origin check compares scheme, host and port, not the host alone. */
@Tag("unit")
class OriginsTest {
  private final Origins own = Origins.of("");

  @Test
  void aClientThatIsNoBrowserSendsNoOriginAndPasses() {
    assertTrue(own.allows(null, "quotes.example.com:8081", false));
  }

  @Test
  void theServicesOwnPagesPass() {
    assertTrue(own.allows("http://quotes.example.com:8081", "quotes.example.com:8081", false));
    assertTrue(
        own.allows("https://quotes.example.com", "quotes.example.com", true), "default ports");
    assertTrue(
        own.allows("http://quotes.example.com:8080", "quotes.example.com:8081", false, 8080),
        "the dashboard on the API port opens the push port");
    assertTrue(own.allows("http://[::1]:8080", "[::1]:8080", false));
  }

  @Test
  void anotherSchemePortOrHostIsRefused() {
    assertFalse(
        own.allows("https://quotes.example.com:8081", "quotes.example.com:8081", false), "scheme");
    assertFalse(
        own.allows("http://quotes.example.com:8081", "quotes.example.com:8081", true),
        "scheme, over TLS");
    assertFalse(
        own.allows("http://quotes.example.com:9999", "quotes.example.com:8081", false, 8080),
        "another port of the same host: another site");
    assertFalse(
        own.allows("http://evil.example.net:8081", "quotes.example.com:8081", false), "host");
    assertFalse(own.allows("null", "quotes.example.com:8081", false), "an opaque origin");
  }

  @Test
  void aListReplacesTheOwnOrigin() {
    Origins listed = Origins.of("https://desk.example.com, https://wall.example.com/");
    assertTrue(listed.allows("https://wall.example.com", "quotes.example.com", true));
    assertFalse(listed.allows("https://quotes.example.com", "quotes.example.com", true));
    assertFalse(
        listed.allows("http://desk.example.com", "quotes.example.com", true),
        "the scheme is part of it");
  }
}
