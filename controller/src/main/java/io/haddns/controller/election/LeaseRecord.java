package io.haddns.controller.election;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the leader's lease node holds: the term, the node and the latch node that leads it. It holds
 * no time: followers judge its age by when they saw it change, on their own monotonic clock.
 *
 * @param epoch the leader's term
 * @param nodeId the leader's node id
 * @param latchPath the leader's LeaderLatch node, the one a follower removes when it judges the
 *     leader dead
 */
public record LeaseRecord(long epoch, String nodeId, String latchPath) {
  public LeaseRecord {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(latchPath, "latchPath");
  }

  /** {@code epoch=…}, {@code node=…}, {@code latch=…}, one per line. */
  public byte[] encode() {
    return ("epoch=" + epoch + "\nnode=" + nodeId + "\nlatch=" + latchPath + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The record in {@code data}, or empty when it is not one (empty node, other format). */
  public static Optional<LeaseRecord> decode(byte[] data) {
    if (data == null || data.length == 0) {
      return Optional.empty();
    }
    Map<String, String> fields = new HashMap<>();
    for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        fields.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    String epoch = fields.get("epoch");
    String node = fields.get("node");
    String latch = fields.get("latch");
    if (epoch == null || node == null || latch == null || node.isEmpty() || latch.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new LeaseRecord(Long.parseLong(epoch), node, latch));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
