package io.haddns.controller.gateway;

import io.haddns.controller.net.AddressPolicy;
import io.haddns.controller.net.IpLiteral;
import io.haddns.controller.store.AddressCommit;
import io.haddns.controller.store.AddressFamily;
import io.haddns.controller.store.AddressSubmission;
import io.haddns.controller.store.CommitOutcomeUnknownException;
import io.haddns.controller.store.LineAddressReport;
import io.haddns.controller.store.LineAddressState;
import io.haddns.controller.store.LineAddressStore;
import io.haddns.controller.store.StoreUnavailableException;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets a line's addresses for a client that names them (dyndns2's {@code myip}, the admin API's
 * {@code ip}) or else by its own address: at most one address per family, each admitted by the
 * line's address policy, written through the store's compare-and-set with a sequence the store
 * assigns; a family whose address is unchanged is not written. The answer uses dyndns2's words,
 * which every update path shares: {@code good <ips>}, {@code nochg <ips>}, {@code dnserr} (an
 * address malformed, repeated for a family or outside the policy), {@code 911} (ZooKeeper
 * unavailable). Blocks on ZooKeeper: call it from a worker thread. Thread-safe.
 */
public final class AddressUpdates {
  private static final Logger log = LoggerFactory.getLogger(AddressUpdates.class);

  private final LineAddressStore store;
  private final InstantSource clock;
  private final String nodeId;

  public AddressUpdates(LineAddressStore store, InstantSource clock, String nodeId) {
    this.store = store;
    this.clock = clock;
    this.nodeId = nodeId;
  }

  /**
   * The outcome of one update.
   *
   * @param code {@code good}, {@code nochg}, {@code dnserr} or {@code 911}
   * @param addresses the addresses set (canonical literals), for {@code good} and {@code nochg}
   */
  public record Result(String code, List<String> addresses) {
    public Result {
      addresses = List.copyOf(addresses);
    }

    /** The dyndns2 answer line: {@code good 192.0.2.1}, {@code 911}, … */
    public String line() {
      return addresses.isEmpty() ? code : code + " " + String.join(",", addresses);
    }

    public boolean accepted() {
      return code.equals("good") || code.equals("nochg");
    }
  }

  /**
   * Sets {@code line} to the addresses in {@code literals} (comma-separated) or, when absent, to
   * {@code source}.
   *
   * @param reporter the credential's name, recorded with the submission
   */
  public Result set(
      String line,
      String reporter,
      Optional<String> literals,
      InetAddress source,
      AddressPolicy policy) {
    Optional<Map<AddressFamily, InetAddress>> addresses = addresses(literals, source, policy);
    if (addresses.isEmpty()) {
      return new Result("dnserr", List.of());
    }
    List<String> echoed = addresses.get().values().stream().map(IpLiteral::canonical).toList();
    LineAddressState current =
        store.lineAddresses().getOrDefault(line, LineAddressState.empty(line));
    boolean changed = false;
    try {
      for (Map.Entry<AddressFamily, InetAddress> e : addresses.get().entrySet()) {
        List<InetAddress> wanted = List.of(e.getValue());
        boolean same =
            current
                .report(e.getKey())
                .map(LineAddressReport::addresses)
                .map(wanted::equals)
                .orElse(false);
        if (same) {
          continue;
        }
        AddressCommit commit =
            store.putLineAddress(
                new AddressSubmission(
                    line,
                    e.getKey(),
                    wanted,
                    clock.instant(),
                    OptionalLong.empty(),
                    reporter,
                    nodeId));
        changed |= commit instanceof AddressCommit.Committed c && c.changed();
      }
    } catch (StoreUnavailableException e) {
      // One code for both: 911, "retry later"; the client's retry sets the same addresses again,
      // so an update that did commit is answered nochg then.
      log.warn(
          "address update reporter={} line={} {}: {}",
          reporter,
          line,
          e instanceof CommitOutcomeUnknownException ? "outcome unknown" : "not committed",
          e.getMessage());
      return new Result("911", List.of());
    }
    return new Result(changed ? "good" : "nochg", echoed);
  }

  /** At most one address per family that {@code policy} admits, from the literals or the source. */
  private static Optional<Map<AddressFamily, InetAddress>> addresses(
      Optional<String> literals, InetAddress source, AddressPolicy policy) {
    List<String> given =
        literals.filter(m -> !m.isBlank()).map(m -> List.of(m.split(",", -1))).orElse(null);
    Map<AddressFamily, InetAddress> byFamily = new EnumMap<>(AddressFamily.class);
    if (given == null) {
      if (!policy.admits(source)) {
        return Optional.empty();
      }
      byFamily.put(AddressFamily.of(source), source);
      return Optional.of(byFamily);
    }
    for (String literal : given) {
      Optional<InetAddress> a = IpLiteral.parse(literal.trim()).filter(policy::admits);
      if (a.isEmpty() || byFamily.putIfAbsent(AddressFamily.of(a.get()), a.get()) != null) {
        return Optional.empty();
      }
    }
    return Optional.of(byFamily);
  }
}
