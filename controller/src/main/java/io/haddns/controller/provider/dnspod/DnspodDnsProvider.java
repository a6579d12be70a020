package io.haddns.controller.provider.dnspod;

// TEMP STUB
public final class DnspodDnsProvider implements io.haddns.controller.provider.DnsProvider {
  public DnspodDnsProvider(
      String zone,
      io.haddns.controller.config.ProviderConfig.Dnspod c,
      java.time.InstantSource clock) {
    throw new UnsupportedOperationException();
  }

  public String zone() {
    return null;
  }

  public boolean fencesWrites() {
    return false;
  }

  public int maxChangesPerCall() {
    return 1;
  }

  public void claim(long epoch) {}

  public java.util.List<io.haddns.controller.dns.RecordSet> list() {
    return null;
  }

  public void apply(java.util.List<io.haddns.controller.plan.Change> c, long e) {}

  public void close() {}
}
