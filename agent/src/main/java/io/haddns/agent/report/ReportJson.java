package io.haddns.agent.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON body of {@code POST /api/v1/report} (docs/agent-protocol.md, "Request"). Writing always
 * gives the fields in the documented order; reading is strict about types and presence.
 */
public final class ReportJson {
  private final ObjectMapper mapper;

  public ReportJson(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public ReportJson() {
    this(new ObjectMapper());
  }

  public ObjectNode toTree(SignedReport signed) {
    Report r = signed.report();
    ObjectNode node = mapper.createObjectNode();
    node.put("agent", r.agent());
    node.put("line", r.line());
    node.put("family", r.family().wireName());
    ArrayNode addresses = node.putArray("addresses");
    r.addresses().forEach(a -> addresses.add(a.canonical()));
    node.put("observedAt", r.observedAtMillis());
    node.put("sequence", r.sequence());
    node.put("signature", signed.signature());
    return node;
  }

  public String toJson(SignedReport signed) {
    try {
      return mapper.writeValueAsString(toTree(signed));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serialises", e);
    }
  }

  /**
   * Reads a request body.
   *
   * @throws IllegalArgumentException if it is not JSON or a field is missing or invalid
   */
  public SignedReport fromJson(String json) {
    JsonNode node;
    try {
      node = mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("report is not JSON", e);
    }
    return fromTree(node);
  }

  public SignedReport fromTree(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("report must be a JSON object");
    }
    JsonNode addressesNode = node.get("addresses");
    if (addressesNode == null || !addressesNode.isArray()) {
      throw new IllegalArgumentException("addresses must be an array");
    }
    List<IpAddress> addresses = new ArrayList<>();
    for (JsonNode a : addressesNode) {
      if (!a.isTextual()) {
        throw new IllegalArgumentException("addresses must hold strings");
      }
      addresses.add(IpAddress.parse(a.textValue()));
    }
    Report report =
        new Report(
            text(node, "agent"),
            text(node, "line"),
            AddressFamily.fromWireName(text(node, "family")),
            addresses,
            integer(node, "observedAt"),
            integer(node, "sequence"));
    return new SignedReport(report, text(node, "signature"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return value.textValue();
  }

  private static long integer(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException(field + " must be an integer");
    }
    return value.longValue();
  }
}
