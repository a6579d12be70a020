package io.haddns.controller.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haddns.controller.net.IpLiteral;
import io.haddns.controller.store.AddressFamily;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses a report body strictly: one JSON object with exactly the seven fields of
 * docs/agent-protocol.md, each of its exact type; duplicate keys, trailing content and unknown
 * fields are refused. Every refusal is {@link ReportStatus#MALFORMED}. Thread-safe.
 */
final class ReportParser {
  static final Pattern AGENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
  static final Pattern LINE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,252}");
  static final int MAX_ADDRESSES = 16;
  private static final int SIGNATURE_BYTES = 64;
  private static final Set<String> FIELDS =
      Set.of("agent", "line", "family", "addresses", "observedAt", "sequence", "signature");

  private final ObjectMapper json =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  ReportParser() {
    json.getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4).build());
  }

  AgentReport parse(byte[] body) throws ReportRejected {
    JsonNode tree;
    try {
      tree = json.readTree(body);
    } catch (IOException e) {
      throw malformed("body is not a JSON document");
    }
    if (!(tree instanceof ObjectNode o)) {
      throw malformed("body must be a JSON object");
    }
    for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw malformed("unknown field '" + truncate(name) + "'");
      }
    }
    String agent = text(o, "agent", AGENT);
    String line = text(o, "line", LINE);
    AddressFamily family =
        AddressFamily.ofLabel(text(o, "family", null))
            .orElseThrow(() -> malformed("family must be ipv4 or ipv6"));
    List<InetAddress> addresses = addresses(o, family);
    long observedAt = integer(o, "observedAt", 0);
    long sequence = integer(o, "sequence", 1);
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(text(o, "signature", null));
    } catch (IllegalArgumentException e) {
      throw malformed("signature is not standard base64");
    }
    if (signature.length != SIGNATURE_BYTES) {
      throw malformed("signature must be 64 bytes");
    }
    return new AgentReport(agent, line, family, addresses, observedAt, sequence, signature);
  }

  private static String text(ObjectNode o, String field, Pattern pattern) throws ReportRejected {
    JsonNode v = o.get(field);
    if (v == null) {
      throw malformed(field + " is missing");
    }
    if (!v.isTextual()) {
      throw malformed(field + " must be a string");
    }
    if (pattern != null && !pattern.matcher(v.textValue()).matches()) {
      throw malformed(field + " is not a valid " + field + " name");
    }
    return v.textValue();
  }

  private static long integer(ObjectNode o, String field, long min) throws ReportRejected {
    JsonNode v = o.get(field);
    if (v == null) {
      throw malformed(field + " is missing");
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min) {
      throw malformed(field + " must be an integer of at least " + min);
    }
    return v.longValue();
  }

  private static List<InetAddress> addresses(ObjectNode o, AddressFamily family)
      throws ReportRejected {
    JsonNode v = o.get("addresses");
    if (v == null) {
      throw malformed("addresses is missing");
    }
    if (!v.isArray() || v.isEmpty() || v.size() > MAX_ADDRESSES) {
      throw malformed("addresses must be a list of 1 to " + MAX_ADDRESSES + " IP literals");
    }
    List<InetAddress> addresses = new ArrayList<>(v.size());
    Set<InetAddress> seen = new HashSet<>();
    for (JsonNode item : v) {
      String text = item.isTextual() ? item.textValue() : null;
      InetAddress a =
          IpLiteral.parse(text)
              .orElseThrow(() -> malformed("addresses holds something that is not an IP literal"));
      if (!family.accepts(a)) {
        throw malformed(
            "address " + IpLiteral.canonical(a) + " is not of family " + family.label());
      }
      if (!seen.add(a)) {
        throw malformed("address " + IpLiteral.canonical(a) + " is listed twice");
      }
      addresses.add(a);
    }
    return addresses;
  }

  private static String truncate(String s) {
    return s.length() > 32 ? s.substring(0, 32) + "…" : s;
  }

  private static ReportRejected malformed(String detail) {
    return new ReportRejected(ReportStatus.MALFORMED, detail);
  }
}
