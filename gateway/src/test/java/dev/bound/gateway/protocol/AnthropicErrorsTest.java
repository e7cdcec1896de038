package dev.bound.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnthropicErrorsTest {
  @Test
  void type_followsAnthropicsDocumentedStatuses() {
    assertEquals("invalid_request_error", AnthropicErrors.type(400));
    assertEquals("invalid_request_error", AnthropicErrors.type(415));
    assertEquals("authentication_error", AnthropicErrors.type(401));
    assertEquals("permission_error", AnthropicErrors.type(403));
    assertEquals("not_found_error", AnthropicErrors.type(404));
    assertEquals("request_too_large", AnthropicErrors.type(413));
    assertEquals("rate_limit_error", AnthropicErrors.type(429));
    assertEquals("api_error", AnthropicErrors.type(500));
    assertEquals("api_error", AnthropicErrors.type(502));
    assertEquals("api_error", AnthropicErrors.type(504));
    assertEquals("overloaded_error", AnthropicErrors.type(503));
    assertEquals("overloaded_error", AnthropicErrors.type(529));
  }

  @Test
  void body_isAnthropicsShape_withBoundsCode() {
    assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":"
        + "\"Busy.\",\"param\":null,\"code\":\"unavailable\"}}", new String(
            AnthropicErrors.body(503, "Busy.", null, "unavailable"), StandardCharsets.UTF_8));
  }
}
