package io.haddns.controller.store;

import java.util.Optional;

/**
 * What the name of a node under {@code audit/} says, parsed once per listing so that sorting and
 * trimming need neither reads nor string work per comparison.
 *
 * <p>Names: {@code e-<millis>-<seq>} (a leader event), {@code l-<millis>-<events>-<seq>} (a batch
 * of leader events written together, millis the newest one's), {@code g-<millis>-<events>-<seq>} (a
 * batch of gateway events) and {@code g-<millis>-<seq>} (one gateway event, as older versions wrote
 * it). {@code seq} is ZooKeeper's zero-padded counter, one for the whole parent, so it orders every
 * kind together.
 *
 * @param leader an {@code e-} or {@code l-} node (the leader's), else a gateway one
 * @param newestMillis time of the node's newest event; {@link Long#MIN_VALUE} when unreadable, so
 *     that an age trim removes the node
 * @param events events the node holds, at least one
 * @param sequence ZooKeeper's counter; -1 when unreadable (orders first)
 */
record AuditNode(String name, boolean leader, long newestMillis, int events, long sequence) {

  /** The node named {@code name}, or empty when it is not an audit entry. */
  static Optional<AuditNode> parse(String name) {
    boolean single = name.startsWith(ZkPaths.AUDIT_PREFIX);
    boolean leader = single || name.startsWith(ZkPaths.LEADER_BATCH_PREFIX);
    if (!leader && !name.startsWith(ZkPaths.GATEWAY_AUDIT_PREFIX)) {
      return Optional.empty();
    }
    // The prefixes are two characters long. Parsed from the right: a time before 1970 is negative.
    String rest = name.substring(ZkPaths.AUDIT_PREFIX.length());
    int seqDash = rest.lastIndexOf('-');
    long sequence = seqDash < 0 ? -1 : number(rest.substring(seqDash + 1), -1);
    String head = seqDash < 0 ? rest : rest.substring(0, seqDash);
    int countDash = single ? -1 : head.lastIndexOf('-');
    if (countDash <= 0) {
      return Optional.of(new AuditNode(name, leader, number(head, Long.MIN_VALUE), 1, sequence));
    }
    long events = number(head.substring(countDash + 1), 1);
    return Optional.of(
        new AuditNode(
            name,
            leader,
            number(head.substring(0, countDash), Long.MIN_VALUE),
            Math.clamp(events, 1, Integer.MAX_VALUE),
            sequence));
  }

  private static long number(String digits, long otherwise) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }
}
