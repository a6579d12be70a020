package io.haddns.agent.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haddns.agent.report.IpAddress;
import java.io.IOException;

/**
 * Reads an echo service's answer strictly: the whole body is one IP literal (surrounding whitespace
 * allowed), or a JSON object whose {@code "ip"} member is one. An HTML page, two addresses, an
 * empty body or anything else is refused — a captive portal must never become a line's address.
 */
final class EchoBodyParser {
  static final int MAX_BODY = 4096;
  private final ObjectMapper mapper = new ObjectMapper();

  /**
   * @throws IllegalArgumentException naming why the body is not an answer
   */
  IpAddress parse(String body) {
    if (body.length() > MAX_BODY) {
      throw new IllegalArgumentException("body longer than " + MAX_BODY + " characters");
    }
    String text = body.strip();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty body");
    }
    if (text.startsWith("{")) {
      return fromJson(text);
    }
    return IpAddress.parse(text);
  }

  private IpAddress fromJson(String text) {
    JsonNode node;
    try {
      node = mapper.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("body starts like JSON but is not JSON");
    }
    JsonNode ip = node.get("ip");
    if (ip == null || !ip.isTextual()) {
      throw new IllegalArgumentException("JSON body has no string member \"ip\"");
    }
    return IpAddress.parse(ip.textValue().strip());
  }
}
