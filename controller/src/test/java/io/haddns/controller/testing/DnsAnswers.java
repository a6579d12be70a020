package io.haddns.controller.testing;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Type;

/** What a {@link DnsTestServer} answers for a managed A record and for a zone's fence. */
public final class DnsAnswers {
  private DnsAnswers() {}

  /** The addresses of {@code name}'s A RRset, sorted; empty when there is none. */
  public static List<String> a(DnsTestServer dns, String name) throws IOException {
    return dns.query(name, Type.A).stream()
        .filter(r -> r instanceof ARecord)
        .map(r -> ((ARecord) r).getAddress().getHostAddress())
        .sorted()
        .toList();
  }

  /** The epoch in {@code _haddns-fence.<zone> TXT}, empty when the zone has no fence. */
  public static Optional<Long> fence(DnsTestServer dns, String zone) throws IOException {
    return dns.query("_haddns-fence." + zone, Type.TXT).stream()
        .map(r -> r.rdataToString().replace("\"", ""))
        .filter(s -> s.startsWith("epoch="))
        .map(s -> Long.parseLong(s.substring("epoch=".length())))
        .findFirst();
  }
}
