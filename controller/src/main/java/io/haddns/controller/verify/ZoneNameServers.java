package io.haddns.controller.verify;

import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.config.ZoneConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Which servers verify a zone: those configured under {@code verify.nameservers}, else the RFC 2136
 * provider's server, else the zone's NS records as the system resolver finds them. Names are
 * resolved each time, so a changed server address is followed.
 */
public final class ZoneNameServers implements Function<String, List<InetSocketAddress>> {
  private final Map<String, ZoneConfig> zones;

  public ZoneNameServers(Map<String, ZoneConfig> zones) {
    this.zones = Map.copyOf(zones);
  }

  @Override
  public List<InetSocketAddress> apply(String zone) {
    ZoneConfig z = zones.get(zone);
    if (z == null) {
      return List.of();
    }
    List<InetSocketAddress> out = new ArrayList<>();
    if (!z.verify().nameservers().isEmpty()) {
      for (InetSocketAddress s : z.verify().nameservers()) {
        out.addAll(resolve(s.getHostString(), s.getPort()));
      }
      return out;
    }
    if (z.provider() instanceof ProviderConfig.Rfc2136 r) {
      return resolve(r.host(), r.port());
    }
    Record[] ns;
    try {
      ns = new Lookup(zone.endsWith(".") ? zone : zone + ".", Type.NS).run();
    } catch (TextParseException e) {
      throw new IllegalArgumentException("zone name " + zone + ": " + e.getMessage(), e);
    }
    if (ns == null) {
      throw new IllegalStateException("no NS records found for " + zone);
    }
    for (Record r : ns) {
      if (r instanceof NSRecord n) {
        out.addAll(resolve(n.getTarget().toString(true), 53));
      }
    }
    return out;
  }

  private static List<InetSocketAddress> resolve(String host, int port) {
    try {
      List<InetSocketAddress> out = new ArrayList<>();
      for (InetAddress a : InetAddress.getAllByName(host)) {
        out.add(new InetSocketAddress(a, port));
      }
      return out;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("cannot resolve name server " + host, e);
    }
  }
}
