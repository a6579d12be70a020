package io.haddns.controller.dnsserver;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Remembers the wire answers to recent queries for one generation of the served data ({@link
 * ZoneCatalog#generation()}). The responder is a pure function of the query's bytes, its transport
 * and the served data, and only the message ID varies between two identical questions, so an answer
 * is keyed by everything but the ID and handed out with the asker's ID written into a copy. The
 * letter case of the question is part of the key, so the answer echoes it exactly.
 *
 * <p>Bounded: two segments of {@link #SEGMENT} entries; when the newer fills up it becomes the
 * older and the oldest answers are forgotten, so names asked for often stay and a flood of one-off
 * names (random subdomains) cannot grow it. A cache belongs to one generation and is replaced, not
 * cleared, when the data changes: an answer computed from newer data may land in the cache of an
 * older generation, which is already being replaced, never the reverse.
 */
final class AnswerCache {
  /** Answers per segment; two segments at most. */
  static final int SEGMENT = 4096;

  /** Queries longer than this are answered without the cache (a question is rarely > 300 B). */
  static final int MAX_QUERY = 512;

  private final Object generation;
  private volatile Map<Key, byte[]> newer = new ConcurrentHashMap<>();
  private volatile Map<Key, byte[]> older = Map.of();

  AnswerCache(Object generation) {
    this.generation = generation;
  }

  /** The data generation these answers were computed from. */
  Object generation() {
    return generation;
  }

  /**
   * The answer to {@code packet}: a copy of a remembered one with this packet's ID, or {@code
   * compute}'s, remembered when present. An empty answer (send nothing) is not remembered.
   */
  Optional<DnsResponder.Reply> answer(
      byte[] packet, Transport transport, Supplier<Optional<DnsResponder.Reply>> compute) {
    if (packet.length < 2 || packet.length > MAX_QUERY) {
      return compute.get();
    }
    Key key = new Key(transport, ByteBuffer.wrap(packet, 2, packet.length - 2).slice());
    byte[] known = newer.get(key);
    if (known == null) {
      known = older.get(key);
      if (known != null) {
        remember(key, known);
      }
    }
    if (known != null) {
      return Optional.of(withId(known, packet));
    }
    Optional<DnsResponder.Reply> computed = compute.get();
    computed.ifPresent(r -> remember(key, encode(r)));
    return computed;
  }

  private void remember(Key key, byte[] entry) {
    Map<Key, byte[]> current = newer;
    if (current.size() >= SEGMENT) {
      synchronized (this) {
        if (newer == current) {
          older = current;
          newer = new ConcurrentHashMap<>();
        }
        current = newer;
      }
    }
    current.put(key, entry);
  }

  /** The reply's wire with its rcode (2 bytes) appended, so one array holds both. */
  private static byte[] encode(DnsResponder.Reply reply) {
    byte[] wire = reply.wire();
    byte[] entry = Arrays.copyOf(wire, wire.length + 2);
    entry[wire.length] = (byte) (reply.rcode() >>> 8);
    entry[wire.length + 1] = (byte) reply.rcode();
    return entry;
  }

  private static DnsResponder.Reply withId(byte[] entry, byte[] query) {
    byte[] wire = Arrays.copyOf(entry, entry.length - 2);
    wire[0] = query[0];
    wire[1] = query[1];
    int rcode = ((entry[entry.length - 2] & 0xFF) << 8) | (entry[entry.length - 1] & 0xFF);
    return new DnsResponder.Reply(wire, rcode);
  }

  /** A query without its ID, and how it came. */
  private record Key(Transport transport, ByteBuffer rest) {}
}
