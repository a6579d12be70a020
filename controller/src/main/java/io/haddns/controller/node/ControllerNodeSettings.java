package io.haddns.controller.node;

import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.election.LeaderElection;
import io.haddns.controller.election.LeadershipListener;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.reconcile.ApplyVerification;
import io.haddns.controller.reconcile.ReconcileObserver;
import io.haddns.controller.store.IntentStore;
import io.haddns.controller.store.LineAddressStore;
import io.haddns.controller.store.StateStore;
import io.haddns.probe.engine.HealthTransition;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a {@link ControllerNode} is made of. Built with {@link #builder(HaddnsConfig)}; a missing
 * part is refused naming it.
 *
 * @param config the node's configuration
 * @param store the cluster state (health, applied records, members, audit)
 * @param reported the line addresses reported by agents and dyndns2 clients
 * @param elections starts this node's part in the election, given the node as its listener
 * @param probing probes the lines while this node leads
 * @param providers each configured zone's DNS backend, by zone name
 * @param observer told of every reconcile
 * @param transitionObserver told of every health transition this node records
 * @param verification told of every successful apply
 * @param intents the operators' intents (overrides, pauses, hand-overs)
 * @param clock the node's clock
 * @param drills failover drills, run while this node leads; empty for none
 */
public record ControllerNodeSettings(
    HaddnsConfig config,
    StateStore store,
    LineAddressStore reported,
    Function<LeadershipListener, LeaderElection> elections,
    LineProbing probing,
    Map<String, DnsProvider> providers,
    ReconcileObserver observer,
    Consumer<HealthTransition> transitionObserver,
    ApplyVerification verification,
    IntentStore intents,
    InstantSource clock,
    Optional<DrillRunner> drills) {

  public ControllerNodeSettings {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(reported, "reported");
    Objects.requireNonNull(elections, "elections");
    Objects.requireNonNull(probing, "probing");
    providers = Map.copyOf(Objects.requireNonNull(providers, "providers"));
    Objects.requireNonNull(observer, "observer");
    Objects.requireNonNull(transitionObserver, "transitionObserver");
    Objects.requireNonNull(verification, "verification");
    Objects.requireNonNull(intents, "intents");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(drills, "drills");
  }

  /**
   * Settings for a node configured by {@code config}; no transition observer, no apply verification
   * and no drills unless set.
   */
  public static Builder builder(HaddnsConfig config) {
    return new Builder(config);
  }

  /** Collects the settings; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private final HaddnsConfig config;
    private StateStore store;
    private LineAddressStore reported;
    private Function<LeadershipListener, LeaderElection> elections;
    private LineProbing probing;
    private Map<String, DnsProvider> providers;
    private ReconcileObserver observer;
    private Consumer<HealthTransition> transitionObserver = t -> {};
    private ApplyVerification verification = ApplyVerification.NONE;
    private IntentStore intents;
    private InstantSource clock;
    private Optional<DrillRunner> drills = Optional.empty();

    private Builder(HaddnsConfig config) {
      this.config = config;
    }

    public Builder store(StateStore store) {
      this.store = store;
      return this;
    }

    public Builder reported(LineAddressStore reported) {
      this.reported = reported;
      return this;
    }

    public Builder elections(Function<LeadershipListener, LeaderElection> elections) {
      this.elections = elections;
      return this;
    }

    public Builder probing(LineProbing probing) {
      this.probing = probing;
      return this;
    }

    public Builder providers(Map<String, DnsProvider> providers) {
      this.providers = providers;
      return this;
    }

    public Builder observer(ReconcileObserver observer) {
      this.observer = observer;
      return this;
    }

    public Builder transitionObserver(Consumer<HealthTransition> transitionObserver) {
      this.transitionObserver = transitionObserver;
      return this;
    }

    public Builder verification(ApplyVerification verification) {
      this.verification = verification;
      return this;
    }

    public Builder intents(IntentStore intents) {
      this.intents = intents;
      return this;
    }

    public Builder clock(InstantSource clock) {
      this.clock = clock;
      return this;
    }

    public Builder drills(DrillRunner drills) {
      this.drills = Optional.of(drills);
      return this;
    }

    public ControllerNodeSettings build() {
      return new ControllerNodeSettings(
          config,
          store,
          reported,
          elections,
          probing,
          providers,
          observer,
          transitionObserver,
          verification,
          intents,
          clock,
          drills);
    }
  }
}
