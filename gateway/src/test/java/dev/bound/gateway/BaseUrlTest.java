package dev.bound.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The URL Bound prints at start, which users copy into their clients and curl. */
class BaseUrlTest {
  @Test
  void baseUrl_putsAnIpv6AddressInBrackets() {
    // Was http://::1:8080/v1 and http://:::8080/v1, which no client or curl accepts.
    assertEquals("http://[::1]:8080/v1", Gateway.baseUrl("::1", 8080).toString());
    assertEquals("http://[fe80::1]:8080/v1", Gateway.baseUrl("fe80::1", 8080).toString());
    assertEquals("http://[::1]:8080/v1", Gateway.baseUrl("::", 8080).toString());
    assertEquals("http://[::1]:8080/v1", Gateway.baseUrl("[::1]", 8080).toString());
    assertEquals("[::1]", Gateway.baseUrl("::1", 8080).getHost());
  }

  @Test
  void baseUrl_reachesAWildcardOnTheLoopback() {
    assertEquals("http://127.0.0.1:8080/v1", Gateway.baseUrl("0.0.0.0", 8080).toString());
    assertEquals("http://localhost:8080/v1", Gateway.baseUrl("localhost", 8080).toString());
  }
}
