package io.haddns.controller.node;

import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.LineAddress;
import io.haddns.controller.config.LineConfig;
import io.haddns.controller.net.AddressPolicy;
import io.haddns.controller.store.LineAddressState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The current addresses of a line: configured, or as last reported by its reporter and admitted by
 * the line's address policy. A reported address outside the policy (committed before the policy was
 * tightened, or written to ZooKeeper by hand) is neither probed nor published; {@code refused}
 * hears of it once, until the line's refused addresses change. Thread-safe.
 */
final class LineAddresses {
  private final Map<String, AddressPolicy> policies;
  private final BiConsumer<String, String> refused;
  private final Map<String, List<InetAddress>> lastRefused = new ConcurrentHashMap<>();

  /**
   * @param refused told {@code (line, reason)} for each reported address the policy refuses, once
   */
  LineAddresses(HaddnsConfig config, BiConsumer<String, String> refused) {
    this.policies = config.addressPolicies();
    this.refused = refused;
  }

  /**
   * @param reported the committed reports per line; a reported line with no report yet has none
   */
  List<InetAddress> of(LineConfig line, Map<String, LineAddressState> reported) {
    return switch (line.address()) {
      case LineAddress.Static s -> s.addresses();
      case LineAddress.Agent a -> {
        LineAddressState state = reported.get(line.name());
        yield state == null ? List.of() : admitted(line.name(), state.addresses());
      }
    };
  }

  private List<InetAddress> admitted(String line, List<InetAddress> addresses) {
    AddressPolicy policy = policies.getOrDefault(line, AddressPolicy.PUBLIC_ONLY);
    List<InetAddress> admitted = new ArrayList<>(addresses.size());
    List<InetAddress> outside = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (InetAddress a : addresses) {
      Optional<String> refusal = policy.refusal(a);
      if (refusal.isEmpty()) {
        admitted.add(a);
      } else {
        outside.add(a);
        reasons.add(refusal.get());
      }
    }
    List<InetAddress> before = lastRefused.put(line, List.copyOf(outside));
    if (!outside.isEmpty() && !Objects.equals(before, outside)) {
      refused.accept(line, String.join("; ", reasons));
    }
    return List.copyOf(admitted);
  }

  /** Same addresses, in any order. */
  static boolean same(List<InetAddress> a, List<InetAddress> b) {
    return a.size() == b.size() && new HashSet<>(a).equals(new HashSet<>(b));
  }
}
