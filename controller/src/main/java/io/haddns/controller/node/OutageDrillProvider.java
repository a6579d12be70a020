package io.haddns.controller.node;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.TransientProviderException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A zone's provider as a {@code provider-outage} drill sees it: while the drill is in force every
 * call fails as a transient error, inside haddns, without reaching the backend (which stays
 * untouched); the retries and the circuit breaker around it act as in a real outage.
 */
public final class OutageDrillProvider implements DnsProvider {
  private final DnsProvider backend;
  private final DrillRunner drills;

  public OutageDrillProvider(DnsProvider backend, DrillRunner drills) {
    this.backend = backend;
    this.drills = drills;
  }

  private void check() throws TransientProviderException {
    Optional<String> drill = drills.failing(backend.zone());
    if (drill.isPresent()) {
      throw new TransientProviderException(
          "zone " + backend.zone() + " provider outage rehearsed by drill " + drill.get());
    }
  }

  @Override
  public String zone() {
    return backend.zone();
  }

  @Override
  public boolean fencesWrites() {
    return backend.fencesWrites();
  }

  @Override
  public int maxChangesPerCall() {
    return backend.maxChangesPerCall();
  }

  @Override
  public void claim(long epoch) throws ProviderException {
    check();
    backend.claim(epoch);
  }

  @Override
  public void prepare() throws ProviderException {
    backend.prepare();
  }

  @Override
  public List<RecordSet> list() throws ProviderException {
    check();
    List<RecordSet> out = backend.list();
    drills.succeeded(backend.zone());
    return out;
  }

  @Override
  public Set<RecordKey> ownedKeys() {
    return backend.ownedKeys();
  }

  @Override
  public void apply(List<Change> changes, long epoch) throws ProviderException {
    check();
    backend.apply(changes, epoch);
    drills.succeeded(backend.zone());
  }

  @Override
  public void close() {
    backend.close();
  }
}
