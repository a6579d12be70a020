package io.haddns.controller.reconcile;

import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.plan.LineState;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.store.StateStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a {@link ZoneReconciler} reconciles and through what. Built with {@link #builder(String,
 * List)}; a missing part is refused naming it.
 *
 * @param zone the zone's name
 * @param records the zone's configured records
 * @param provider the zone's DNS backend
 * @param store the applied state and the audit trail
 * @param lines the lines' current states, read at every plan
 * @param term the leader's term, checked before every write
 * @param nodeId this node, named in audit events
 * @param clock stamps applied records and audit events
 * @param dryRun plan and report, never write
 * @param unfencedGuard how long a new term waits before its first write when the provider cannot
 *     fence writes itself
 * @param verification told of every successful apply
 * @param paused true while an operator has paused the zone's writes (and drift repair)
 * @param recorder runs the recording of applied changes in ZooKeeper, in the order submitted; an
 *     executor of its own lets the zone's next reconcile begin while a large batch is recorded
 *     ({@code Runnable::run}: recorded before the reconcile returns)
 * @param recordingFailed told when an applied change could not be recorded, so the zone is
 *     reconciled again (with a read-back)
 * @param recordingPause how long a recording on {@code recorder} waits for a pause in the zone's
 *     reconciles ({@link RecordingPause#NONE} for a recorder of the reconciling thread)
 */
public record ZoneReconcilerSettings(
    String zone,
    List<RecordConfig> records,
    DnsProvider provider,
    StateStore store,
    Supplier<Map<String, LineState>> lines,
    LeaderTerm term,
    String nodeId,
    InstantSource clock,
    boolean dryRun,
    Duration unfencedGuard,
    ApplyVerification verification,
    BooleanSupplier paused,
    Executor recorder,
    Runnable recordingFailed,
    RecordingPause recordingPause) {

  public ZoneReconcilerSettings {
    Objects.requireNonNull(zone, "zone");
    records = List.copyOf(Objects.requireNonNull(records, "records"));
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(lines, "lines");
    Objects.requireNonNull(term, "term");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(unfencedGuard, "unfencedGuard");
    Objects.requireNonNull(verification, "verification");
    Objects.requireNonNull(paused, "paused");
    Objects.requireNonNull(recorder, "recorder");
    Objects.requireNonNull(recordingFailed, "recordingFailed");
    Objects.requireNonNull(recordingPause, "recordingPause");
  }

  /**
   * Settings for {@code records} of {@code zone}; not a dry run, no guard, no verification, never
   * paused, recorded before each reconcile returns without a pause, unless set.
   */
  public static Builder builder(String zone, List<RecordConfig> records) {
    return new Builder(zone, records);
  }

  /** Collects the settings; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private final String zone;
    private final List<RecordConfig> records;
    private DnsProvider provider;
    private StateStore store;
    private Supplier<Map<String, LineState>> lines;
    private LeaderTerm term;
    private String nodeId;
    private InstantSource clock;
    private boolean dryRun;
    private Duration unfencedGuard = Duration.ZERO;
    private ApplyVerification verification = ApplyVerification.NONE;
    private BooleanSupplier paused = () -> false;
    private Executor recorder = Runnable::run;
    private Runnable recordingFailed = () -> {};
    private RecordingPause recordingPause = RecordingPause.NONE;

    private Builder(String zone, List<RecordConfig> records) {
      this.zone = zone;
      this.records = records;
    }

    public Builder provider(DnsProvider provider) {
      this.provider = provider;
      return this;
    }

    public Builder store(StateStore store) {
      this.store = store;
      return this;
    }

    public Builder lines(Supplier<Map<String, LineState>> lines) {
      this.lines = lines;
      return this;
    }

    public Builder term(LeaderTerm term) {
      this.term = term;
      return this;
    }

    public Builder nodeId(String nodeId) {
      this.nodeId = nodeId;
      return this;
    }

    public Builder clock(InstantSource clock) {
      this.clock = clock;
      return this;
    }

    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    public Builder unfencedGuard(Duration unfencedGuard) {
      this.unfencedGuard = unfencedGuard;
      return this;
    }

    public Builder verification(ApplyVerification verification) {
      this.verification = verification;
      return this;
    }

    public Builder paused(BooleanSupplier paused) {
      this.paused = paused;
      return this;
    }

    public Builder recorder(Executor recorder, Runnable recordingFailed) {
      this.recorder = recorder;
      this.recordingFailed = recordingFailed;
      return this;
    }

    public Builder recordingPause(RecordingPause recordingPause) {
      this.recordingPause = recordingPause;
      return this;
    }

    public ZoneReconcilerSettings build() {
      return new ZoneReconcilerSettings(
          zone,
          records,
          provider,
          store,
          lines,
          term,
          nodeId,
          clock,
          dryRun,
          unfencedGuard,
          verification,
          paused,
          recorder,
          recordingFailed,
          recordingPause);
    }
  }
}
