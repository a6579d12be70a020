package io.haddns.controller.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The answer to a report: {@code {"status": "...", "sequence": 42, "detail": "..."}}.
 *
 * @param sequence the report's sequence when it was read
 * @param detail human-readable, never a secret
 */
record ReportResponse(ReportStatus status, OptionalLong sequence, String detail) {
  private static final ObjectMapper JSON = new ObjectMapper();

  ReportResponse {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(sequence, "sequence");
    Objects.requireNonNull(detail, "detail");
  }

  byte[] json() {
    ObjectNode o = JSON.createObjectNode().put("status", status.label());
    sequence.ifPresent(s -> o.put("sequence", s));
    o.put("detail", detail);
    try {
      return JSON.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
