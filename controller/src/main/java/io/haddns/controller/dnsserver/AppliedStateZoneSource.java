package io.haddns.controller.dnsserver;

import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.store.AppliedRecord;
import io.haddns.controller.store.MemberInfo;
import io.haddns.controller.store.StateStore;
import io.haddns.controller.store.StoreView;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ZoneSource} over the cluster's replicated state: the records of a zone are the {@link
 * StateStore#applied()} entries whose {@link AppliedRecord#zone()} is that zone, its serial is
 * {@link StateStore#zoneSerial(String)}, and the name servers are the live {@link
 * StateStore#members()} that advertise DNS addresses, ordered by node id. Every node keeps those
 * views warm, so leader and followers answer alike.
 *
 * <p>When the set of name servers changes, this source advances the serial of each zone whose name
 * servers follow the members ({@link StateStore#advanceSerial(String)}), so the new NS RRset comes
 * with a higher serial on every node. An empty members view is never published: it means the view
 * lost sight of the members (a ZooKeeper restart or session loss, during which this node itself,
 * which serves DNS, is missing too), not that no node serves. The last known name servers stay, and
 * the serial does not move, until members are seen again; the same set coming back moves it
 * neither.
 *
 * <p>Register it with the store so changes reach the server, e.g. {@code
 * zkStateStore.addListener(source, executor)}; it forwards notifications that include {@link
 * StoreView#APPLIED} or {@link StoreView#MEMBERS}. Thread-safe.
 */
public final class AppliedStateZoneSource implements ZoneSource, StoreView.Listener {
  private static final Logger log = LoggerFactory.getLogger(AppliedStateZoneSource.class);

  private final StateStore store;
  private final List<String> followMembers;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile List<List<InetAddress>> lastNameServers = List.of();

  /**
   * @param zonesFollowingMembers zones (canonical names) whose NS RRset lists the live members
   */
  public AppliedStateZoneSource(StateStore store, Collection<String> zonesFollowingMembers) {
    this.store = Objects.requireNonNull(store, "store");
    this.followMembers = List.copyOf(zonesFollowingMembers);
  }

  /** A source whose zones all have configured name servers. */
  public AppliedStateZoneSource(StateStore store) {
    this(store, List.of());
  }

  @Override
  public Map<RecordKey, RecordSet> records(String zone) {
    Map<RecordKey, RecordSet> records = new HashMap<>();
    store
        .applied()
        .forEach(
            (key, applied) -> {
              if (applied.zone().equals(zone)) {
                records.put(key, applied.record());
              }
            });
    return records;
  }

  @Override
  public long serial(String zone) {
    return store.zoneSerial(zone);
  }

  /** The live members serving DNS; the last known ones while the members view is empty. */
  @Override
  public List<List<InetAddress>> nameServerAddresses() {
    List<List<InetAddress>> live = liveNameServers();
    return live.isEmpty() ? lastNameServers : live;
  }

  private List<List<InetAddress>> liveNameServers() {
    List<List<InetAddress>> out = new ArrayList<>();
    List<MemberInfo> members = new ArrayList<>(store.members());
    members.sort(Comparator.comparing(MemberInfo::nodeId));
    for (MemberInfo m : members) {
      if (!m.dnsAddresses().isEmpty()) {
        out.add(m.dnsAddresses());
      }
    }
    return List.copyOf(out);
  }

  @Override
  public void subscribe(Runnable onChange) {
    listeners.add(onChange);
  }

  @Override
  public void changed(Set<StoreView> views) {
    if (views.contains(StoreView.MEMBERS)) {
      nameServersMayHaveChanged();
    }
    if (views.contains(StoreView.APPLIED) || views.contains(StoreView.MEMBERS)) {
      listeners.forEach(Runnable::run);
    }
  }

  // Called on the store's notification thread only (deliveries never overlap).
  private void nameServersMayHaveChanged() {
    List<List<InetAddress>> now = liveNameServers();
    if (now.isEmpty()) {
      if (!lastNameServers.isEmpty()) {
        log.info(
            "dns nameservers unknown: members view empty, keeping last known={}",
            lastNameServers.size());
      }
      return;
    }
    if (now.equals(lastNameServers)) {
      return;
    }
    lastNameServers = now;
    if (followMembers.isEmpty()) {
      return;
    }
    log.info("dns nameservers={} zones={}", now.size(), followMembers);
    followMembers.forEach(store::advanceSerial);
  }
}
