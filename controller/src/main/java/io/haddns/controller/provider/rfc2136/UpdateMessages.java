package io.haddns.controller.provider.rfc2136;

import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Builds the RFC 2136 UPDATE messages of one zone: the fence claims and the fenced batches of
 * changes. Pure: no I/O.
 */
final class UpdateMessages {
  /**
   * Room left in a 64 KiB TCP message for the OPT and TSIG records the resolver appends (RFC 8945
   * §4.2: a TSIG of hmac-sha512 with a long key name stays well below this).
   */
  static final int MAX_UNSIGNED_LENGTH = Message.MAXLENGTH - 1024;

  /** One UPDATE message and how many changes it carries. */
  record Batch(Update message, List<Change> changes) {
    Batch {
      changes = List.copyOf(changes);
    }
  }

  private final Name zone;
  private final Fence fence;
  private final int batchSize;

  int batchSize() {
    return batchSize;
  }

  UpdateMessages(Name zone, Fence fence, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
    }
    this.zone = zone;
    this.fence = fence;
    this.batchSize = batchSize;
  }

  /** Claims an unfenced zone: prerequisite "RRset does not exist" (RFC 2136 §2.4.3). */
  Update claimAbsent(long epoch) {
    Update u = new Update(zone);
    u.absent(fence.name(), Type.TXT);
    u.add(fence.record(epoch));
    return u;
  }

  /**
   * Takes the fence over from {@code current}: prerequisite "RRset exists (value dependent)" (RFC
   * 2136 §2.4.2), then delete the RRset (§2.5.2) and add the new value.
   */
  Update claimReplacing(long current, long epoch) {
    Update u = new Update(zone);
    u.present(fence.prerequisite(current));
    u.delete(fence.name(), Type.TXT);
    u.add(fence.record(epoch));
    return u;
  }

  /**
   * Splits the changes into UPDATE messages of at most {@code batchSize} RRsets, each conditional
   * on the fence holding {@code epoch}. A batch that would not fit one TCP message is halved.
   */
  List<Batch> apply(List<Change> changes, long epoch) {
    List<Batch> batches = new ArrayList<>();
    for (int from = 0; from < changes.size(); from += batchSize) {
      addFitting(changes.subList(from, Math.min(changes.size(), from + batchSize)), epoch, batches);
    }
    return batches;
  }

  private void addFitting(List<Change> slice, long epoch, List<Batch> out) {
    Update u = fenced(slice, epoch);
    if (slice.size() > 1 && u.toWire().length > MAX_UNSIGNED_LENGTH) {
      int half = slice.size() / 2;
      addFitting(slice.subList(0, half), epoch, out);
      addFitting(slice.subList(half, slice.size()), epoch, out);
    } else {
      out.add(new Batch(u, slice));
    }
  }

  private Update fenced(List<Change> changes, long epoch) {
    Update u = new Update(zone);
    u.present(fence.prerequisite(epoch));
    for (Change c : changes) {
      switch (c) {
        case Change.Create create -> replace(u, create.desired());
        case Change.Update update -> replace(u, update.desired());
        case Change.Delete delete -> u.delete(owner(delete.current()), type(delete.current()));
      }
    }
    return u;
  }

  /** Delete the whole RRset (RFC 2136 §2.5.2), then add each address (§2.5.1). */
  private static void replace(Update u, RecordSet rs) {
    Name owner = owner(rs);
    u.delete(owner, type(rs));
    for (InetAddress a : rs.addresses()) {
      u.add(record(owner, rs.ttl(), a));
    }
  }

  private static Record record(Name owner, long ttl, InetAddress a) {
    return switch (a) {
      case java.net.Inet4Address v4 -> new ARecord(owner, DClass.IN, ttl, v4);
      case java.net.Inet6Address v6 -> new AAAARecord(owner, DClass.IN, ttl, v6);
      default -> throw new IllegalArgumentException("not an IP address: " + a);
    };
  }

  static Name owner(RecordSet rs) {
    try {
      return Name.fromString(rs.key().name() + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + rs.key().name(), e);
    }
  }

  private static int type(RecordSet rs) {
    return rs.key().type().code();
  }
}
