package io.haddns.controller.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** Asks a node's DNS server for the demo record, as a client would. */
final class DemoProbe {
  private final Name name;

  DemoProbe(String record) throws TextParseException {
    this.name = Name.fromString(record + ".");
  }

  /** The A addresses answered by {@code server}, or empty on any failure. */
  List<InetAddress> answer(InetSocketAddress server) {
    try {
      SimpleResolver r = new SimpleResolver(server);
      r.setTimeout(Duration.ofMillis(500));
      Message res = r.send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)));
      if (res.getRcode() != Rcode.NOERROR) {
        return List.of();
      }
      return res.getSection(Section.ANSWER).stream()
          .filter(rec -> rec instanceof ARecord)
          .map(rec -> ((ARecord) rec).getAddress())
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
