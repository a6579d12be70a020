package io.haddns.controller.dnsserver;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns a query into the authoritative answer from the {@link ZoneCatalog}: the zone's data or
 * wildcard synthesis ({@link ZoneLookup}), negative answers per RFC 2308, a single RRset for ANY
 * (RFC 8482), EDNS per RFC 6891 with the DO bit echoed (RFC 3225 §3) and UDP truncation per RFC
 * 1035 §4.2.1 / RFC 2181 §9 ({@link ResponseWire}). No socket, no Netty: the handler calls {@link
 * #respond(byte[], Transport)}. Thread-safe and non-blocking.
 */
final class DnsResponder {
  private static final Logger log = LoggerFactory.getLogger(DnsResponder.class);
  static final int CLASSIC_UDP_PAYLOAD = 512;
  static final int TCP_LIMIT = 65535;

  private final ZoneCatalog catalog;
  private final int maxUdpPayload;
  private volatile AnswerCache cache = new AnswerCache(new Object());

  DnsResponder(ZoneCatalog catalog, int maxUdpPayload) {
    this.catalog = catalog;
    this.maxUdpPayload = maxUdpPayload;
  }

  /** A response in wire format and its response code (with EDNS extended bits). */
  record Reply(byte[] wire, int rcode) {}

  /**
   * Answers one packet. Empty means send nothing: the packet is a response, or too short to hold a
   * DNS header. A packet whose header is readable but whose body is not gets FORMERR (RFC 1035
   * §4.1.1). Never throws.
   */
  Optional<Reply> respond(byte[] packet, Transport transport) {
    return answers().answer(packet, transport, () -> compute(packet, transport));
  }

  /** The cache of the data served now; a new one when the data changed since the last query. */
  private AnswerCache answers() {
    AnswerCache current = cache;
    Object generation = catalog.generation();
    if (current.generation() != generation) {
      current = new AnswerCache(generation);
      cache = current;
    }
    return current;
  }

  private Optional<Reply> compute(byte[] packet, Transport transport) {
    Message query;
    try {
      query = new Message(packet);
    } catch (IOException | RuntimeException e) {
      return headerOnly(packet, Rcode.FORMERR);
    }
    try {
      return answer(query).map(r -> render(r, limit(query, transport)));
    } catch (RuntimeException e) {
      log.warn("dns query id={} failed: {}", query.getHeader().getID(), e.toString());
      return headerOnly(packet, Rcode.SERVFAIL);
    }
  }

  /** The response to a parsed message; empty when the message is not a query (QR set). */
  Optional<Message> answer(Message query) {
    Header qh = query.getHeader();
    if (qh.getFlag(Flags.QR)) {
      return Optional.empty();
    }
    Message r = new Message(qh.getID());
    Header rh = r.getHeader();
    rh.setFlag(Flags.QR);
    rh.setOpcode(qh.getOpcode());
    copyFlag(qh, rh, Flags.RD);
    copyFlag(qh, rh, Flags.CD);
    List<Record> questions = query.getSection(Section.QUESTION);
    List<OPTRecord> opts =
        query.getSection(Section.ADDITIONAL).stream()
            .filter(OPTRecord.class::isInstance)
            .map(OPTRecord.class::cast)
            .toList();
    OPTRecord opt = opts.isEmpty() ? null : opts.get(0);
    if (questions.size() == 1) {
      r.addRecord(questions.get(0), Section.QUESTION);
    }
    if (qh.getOpcode() != Opcode.QUERY) {
      return Optional.of(finish(r, Rcode.NOTIMP, opt));
    }
    if (opts.size() > 1) {
      // RFC 6891 §6.1.1: more than one OPT record is a format error.
      return Optional.of(finish(r, Rcode.FORMERR, null));
    }
    if (opt != null && opt.getVersion() != 0) {
      return Optional.of(finish(r, Rcode.BADVERS, opt));
    }
    if (questions.size() != 1) {
      return Optional.of(finish(r, Rcode.FORMERR, opt));
    }
    Record question = questions.get(0);
    if (question.getDClass() != DClass.IN) {
      return Optional.of(finish(r, Rcode.NOTIMP, opt));
    }
    int type = question.getType();
    return switch (type) {
      case Type.OPT, Type.TSIG, Type.TKEY -> Optional.of(finish(r, Rcode.FORMERR, opt));
      case Type.MAILA, Type.MAILB -> Optional.of(finish(r, Rcode.NOTIMP, opt));
      // Zone transfers are not offered: every node already holds the zone via ZooKeeper.
      case Type.AXFR, Type.IXFR -> Optional.of(finish(r, Rcode.REFUSED, opt));
      default -> Optional.of(lookup(r, question, opt));
    };
  }

  private Message lookup(Message r, Record question, OPTRecord opt) {
    Optional<ZoneSnapshot> found = catalog.find(question.getName());
    if (found.isEmpty()) {
      return finish(r, Rcode.REFUSED, opt);
    }
    ZoneSnapshot zone = found.get();
    r.getHeader().setFlag(Flags.AA);
    return switch (ZoneLookup.find(zone, question.getName(), question.getType())) {
      case ZoneLookup.Answer(List<Record> rrset) -> {
        rrset.forEach(rec -> r.addRecord(rec, Section.ANSWER));
        if (question.getType() == Type.NS && question.getName().equals(zone.apex())) {
          zone.glue().forEach(rec -> r.addRecord(rec, Section.ADDITIONAL));
        }
        yield finish(r, Rcode.NOERROR, opt);
      }
      case ZoneLookup.NoData() -> {
        r.addRecord(zone.negativeSoa(), Section.AUTHORITY);
        yield finish(r, Rcode.NOERROR, opt);
      }
      case ZoneLookup.NxDomain() -> {
        r.addRecord(zone.negativeSoa(), Section.AUTHORITY);
        yield finish(r, Rcode.NXDOMAIN, opt);
      }
    };
  }

  /**
   * Sets the rcode, and echoes EDNS with this server's payload size when the client used it, with
   * the DO bit copied from the query (RFC 3225 §3).
   */
  private Message finish(Message r, int rcode, OPTRecord clientOpt) {
    r.getHeader().setRcode(rcode & 0xF);
    if (clientOpt != null) {
      int flags = clientOpt.getFlags() & ExtendedFlags.DO;
      r.addRecord(new OPTRecord(maxUdpPayload, rcode >>> 4, 0, flags), Section.ADDITIONAL);
    }
    return r;
  }

  /** RFC 6891 §6.2.5: the requestor's payload size, never below 512 nor above our own limit. */
  private int limit(Message query, Transport transport) {
    if (transport == Transport.TCP) {
      return TCP_LIMIT;
    }
    OPTRecord opt = query.getOPT();
    if (opt == null) {
      return CLASSIC_UDP_PAYLOAD;
    }
    return Math.clamp(opt.getPayloadSize(), CLASSIC_UDP_PAYLOAD, maxUdpPayload);
  }

  /** Whole RRsets that do not fit are dropped and TC set (RFC 2181 §9); OPT is always kept. */
  private static Reply render(Message response, int limit) {
    return new Reply(ResponseWire.render(response, limit), response.getRcode());
  }

  private static Optional<Reply> headerOnly(byte[] packet, int rcode) {
    if (packet.length < Header.LENGTH) {
      return Optional.empty();
    }
    Header qh;
    try {
      qh = new Header(java.util.Arrays.copyOf(packet, Header.LENGTH));
    } catch (IOException e) {
      return Optional.empty();
    }
    if (qh.getFlag(Flags.QR)) {
      return Optional.empty();
    }
    Header rh = new Header(qh.getID());
    rh.setFlag(Flags.QR);
    rh.setOpcode(qh.getOpcode());
    copyFlag(qh, rh, Flags.RD);
    rh.setRcode(rcode);
    return Optional.of(new Reply(rh.toWire(), rcode));
  }

  private static void copyFlag(Header from, Header to, int flag) {
    if (from.getFlag(flag)) {
      to.setFlag(flag);
    }
  }
}
