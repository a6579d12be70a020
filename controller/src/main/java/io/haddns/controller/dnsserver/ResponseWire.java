package io.haddns.controller.dnsserver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Compression;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Renders a response to wire format like dnsjava's {@link Message#toWire(int)}: an RRset that does
 * not fit is dropped whole with everything after it and TC is set, unless it is in the additional
 * section (RFC 2181 §9); the OPT record is always kept. Unlike dnsjava, an owner name is compressed
 * only against a name of the same letter case, so owners keep the case the zone stores them in
 * instead of taking the query's (a question {@code NoSuch.ExAmPle.} must not turn the SOA of the
 * negative answer into {@code ExAmPle.}), as BIND does. Names inside RDATA are written
 * uncompressed.
 */
final class ResponseWire {
  private static final int HEADER_COUNTS = 4;

  private ResponseWire() {}

  static byte[] render(Message response, int limit) {
    OPTRecord opt = response.getOPT();
    byte[] optWire = opt == null ? new byte[0] : opt.toWire(Section.ADDITIONAL);
    int budget = limit - optWire.length;
    DNSOutput out = new DNSOutput();
    byte[] header = response.getHeader().toWire();
    out.writeByteArray(header);
    CaseSensitiveCompression names = new CaseSensitiveCompression();
    int[] counts = new int[HEADER_COUNTS];
    boolean truncated = false;
    for (int section = Section.QUESTION; section <= Section.ADDITIONAL && !truncated; section++) {
      for (List<Record> rrset : rrsets(response.getSection(section))) {
        int mark = out.current();
        for (Record r : rrset) {
          r.getName().toWire(out, names);
          byte[] whole = r.toWire(section);
          int ownerLength = r.getName().length();
          out.writeByteArray(whole, ownerLength, whole.length - ownerLength);
        }
        if (out.current() > budget) {
          out.jump(mark);
          truncated = section != Section.ADDITIONAL;
          break;
        }
        counts[section] += rrset.size();
      }
    }
    if (opt != null) {
      out.writeByteArray(optWire);
      counts[Section.ADDITIONAL]++;
    }
    if (truncated) {
      int flags = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
      out.writeU16At(flags | 1 << (15 - Flags.TC), 2);
    }
    for (int section = 0; section < HEADER_COUNTS; section++) {
      out.writeU16At(counts[section], 4 + 2 * section);
    }
    return out.toByteArray();
  }

  /** Consecutive records of one owner, type and class; the OPT record is left out. */
  private static List<List<Record>> rrsets(List<Record> records) {
    List<List<Record>> out = new ArrayList<>();
    List<Record> current = null;
    for (Record r : records) {
      if (r instanceof OPTRecord) {
        continue;
      }
      if (current == null || !r.sameRRset(current.get(0))) {
        current = new ArrayList<>();
        out.add(current);
      }
      current.add(r);
    }
    return out;
  }

  /** A compression table that matches names byte for byte, letter case included. */
  private static final class CaseSensitiveCompression extends Compression {
    private static final int MAX_POINTER = 0x3FFF;
    private final Map<String, Integer> offsets = new HashMap<>();

    @Override
    public void add(int pos, Name name) {
      if (pos <= MAX_POINTER) {
        offsets.putIfAbsent(name.toString(), pos);
      }
    }

    @Override
    public int get(Name name) {
      return offsets.getOrDefault(name.toString(), -1);
    }
  }
}
