package io.haddns.controller.verify;

import io.haddns.controller.dns.RecordKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
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

/**
 * {@link RecordAnswers} by non-recursive queries (dnsjava) to each of a zone's authoritative
 * servers ({@link ZoneNameServers}); the verify step's query.
 */
public final class AuthoritativeAnswers implements RecordAnswers {
  private final Function<String, List<InetSocketAddress>> servers;
  private final Duration timeout;

  public AuthoritativeAnswers(Function<String, List<InetSocketAddress>> servers, Duration timeout) {
    this.servers = servers;
    this.timeout = timeout;
  }

  @Override
  public Optional<List<Set<InetAddress>>> ask(String zone, RecordKey key) {
    List<InetSocketAddress> targets;
    try {
      targets = servers.apply(zone);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (targets.isEmpty()) {
      return Optional.empty();
    }
    List<Set<InetAddress>> out = new ArrayList<>();
    for (InetSocketAddress server : targets) {
      try {
        out.add(query(server, key, timeout));
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    return Optional.of(List.copyOf(out));
  }

  /** The addresses {@code server} answers authoritatively for {@code key}; empty for no name. */
  static Set<InetAddress> query(InetSocketAddress server, RecordKey key, Duration timeout)
      throws IOException {
    int type =
        switch (key.type()) {
          case A -> Type.A;
          case AAAA -> Type.AAAA;
        };
    Name name;
    try {
      name = Name.fromString(key.name().endsWith(".") ? key.name() : key.name() + ".");
    } catch (TextParseException e) {
      throw new IOException(e);
    }
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTimeout(timeout);
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    query.getHeader().unsetFlag(org.xbill.DNS.Flags.RD);
    Message answer = resolver.send(query);
    int rcode = answer.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      throw new IOException("rcode " + Rcode.string(rcode));
    }
    Set<InetAddress> found = new HashSet<>();
    for (Record r : answer.getSection(Section.ANSWER)) {
      if (r.getName().equals(name) && r instanceof ARecord a) {
        found.add(a.getAddress());
      } else if (r.getName().equals(name) && r instanceof AAAARecord a) {
        found.add(a.getAddress());
      }
    }
    return found;
  }
}
