package io.haddns.agent.detect;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.haddns.agent.report.IpAddress;
import java.io.IOException;

/**
 * Reads an echo service's answer strictly: the whole body is one IP literal (surrounding whitespace
 * allowed), or a JSON object whose {@code "ip"} member is one. An HTML page, two addresses, an
 * empty body or anything else is refused — a captive portal must never become a line's address.
 * JSON is read strictly: a second value or garbage after the object, a repeated member name (which
 * one would win?), comments and other non-standard syntax are refused.
 */
final class EchoBodyParser {
  static final int MAX_BODY = 4096;
  private final JsonMapper mapper =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .build();

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
      throw new IllegalArgumentException("body starts like JSON but is not one strict JSON object");
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("JSON body is not an object");
    }
    JsonNode ip = node.get("ip");
    if (ip == null || !ip.isTextual()) {
      throw new IllegalArgumentException("JSON body has no string member \"ip\"");
    }
    return IpAddress.parse(ip.textValue().strip());
  }
}
