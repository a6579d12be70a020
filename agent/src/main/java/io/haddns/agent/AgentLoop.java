package io.haddns.agent;

import io.haddns.agent.detect.Detection;
import io.haddns.agent.detect.IpDetector;
import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.Delivery;
import io.haddns.agent.report.Report;
import io.haddns.agent.report.ReportSender;
import io.haddns.agent.report.ReportSigner;
import io.haddns.agent.report.SignedReport;
import io.haddns.agent.state.AgentState;
import io.haddns.agent.state.StateStore;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One detection round per call: for every line and family, the first detector that finds an address
 * decides; a report is signed and sent when the addresses changed since the last acknowledged
 * report, or when {@code heartbeat} has passed. A failed detection never reports and never clears.
 * The sequence is saved before a report is sent, so a crash can skip a number but never reuse one;
 * it is at least the current Unix time in milliseconds, so even a lost state file does not put the
 * agent behind the controller's last sequence.
 *
 * <p>Not thread-safe: call {@link #runOnce} from one thread (the agent's scheduler).
 */
public final class AgentLoop {
  private static final Logger log = LoggerFactory.getLogger(AgentLoop.class);

  /** The controller's answer to a sequence too far beyond its clock (docs/agent-protocol.md). */
  static final String SEQUENCE_AHEAD = "sequence-ahead";

  private final String agentId;
  private final List<LineDetectors> lines;
  private final ReportSigner signer;
  private final ReportSender sender;
  private final StateStore store;
  private final InstantSource clock;
  private final Duration heartbeat;
  private final AgentObserver observer;
  private AgentState state;

  public AgentLoop(
      String agentId,
      List<LineDetectors> lines,
      ReportSigner signer,
      ReportSender sender,
      StateStore store,
      InstantSource clock,
      Duration heartbeat) {
    this(agentId, lines, signer, sender, store, clock, heartbeat, AgentObserver.NONE);
  }

  public AgentLoop(
      String agentId,
      List<LineDetectors> lines,
      ReportSigner signer,
      ReportSender sender,
      StateStore store,
      InstantSource clock,
      Duration heartbeat,
      AgentObserver observer) {
    this.agentId = agentId;
    this.lines = List.copyOf(lines);
    this.signer = signer;
    this.sender = sender;
    this.store = store;
    this.clock = clock;
    this.heartbeat = heartbeat;
    this.observer = observer;
  }

  /** Loads the saved state; call once before the first round. */
  public void start() throws IOException {
    state = store.load();
    for (LineDetectors line : lines) {
      for (AddressFamily family : line.families()) {
        AgentState.Reported last = state.reported().get(AgentState.key(line.line(), family));
        if (last != null) {
          observer.lastAcknowledged(line.line(), family, last.reportedAtMillis());
        }
      }
    }
    log.info(
        "agent={} state loaded sequence={} lines={}",
        agentId,
        state.sequence(),
        state.reported().size());
  }

  public void runOnce() {
    if (state == null) {
      throw new IllegalStateException("start() first");
    }
    for (LineDetectors line : lines) {
      for (AddressFamily family : line.families()) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        try {
          round(line, family);
        } catch (IOException e) {
          log.error(
              "line={} family={} state file not writable, not reporting: {}",
              line.line(),
              family.wireName(),
              e.toString());
        }
      }
    }
    observer.roundCompleted(clock.millis());
  }

  private void round(LineDetectors line, AddressFamily family) throws IOException {
    Detection.Found found = null;
    for (IpDetector detector : line.detectors()) {
      Detection detection = detector.detect(family);
      observer.detected(line.line(), family, detector.name(), detection instanceof Detection.Found);
      switch (detection) {
        case Detection.Found f -> found = f;
        case Detection.Failed f ->
            log.debug(
                "line={} family={} detector={} failed: {}",
                line.line(),
                family.wireName(),
                detector.name(),
                f.reason());
      }
      if (found != null) {
        break;
      }
    }
    if (found == null) {
      log.warn(
          "line={} family={} no detector could tell the address; keeping the last report",
          line.line(),
          family.wireName());
      return;
    }
    long now = clock.millis();
    AgentState.Reported last = state.reported().get(AgentState.key(line.line(), family));
    boolean changed = last == null || !last.addresses().equals(found.addresses());
    boolean due = last == null || now - last.reportedAtMillis() >= heartbeat.toMillis();
    if (!changed && !due) {
      return;
    }
    long sequence = Math.max(state.sequence() + 1, now);
    state = state.withSequence(sequence);
    store.save(state);
    SignedReport signed =
        signer.sign(new Report(agentId, line.line(), family, found.addresses(), now, sequence));
    Delivery delivery = sender.send(signed);
    observer.reported(line.line(), family, delivery, clock.millis());
    switch (delivery) {
      case Delivery.Acknowledged a -> {
        state =
            state.withReported(
                line.line(), family, new AgentState.Reported(found.addresses(), now));
        store.save(state);
        log.info(
            "line={} family={} reported addresses={} sequence={} via={} ({})",
            line.line(),
            family.wireName(),
            found.addresses(),
            sequence,
            a.endpoint(),
            changed ? "changed" : "heartbeat");
      }
      case Delivery.Rejected r when r.status().equals(SEQUENCE_AHEAD) -> {
        // The saved sequence ran far ahead of the clock (e.g. the clock was once set years
        // ahead): start again from the clock. The controller refused those, so none was committed.
        state = state.withSequence(now);
        store.save(state);
        log.error(
            "line={} family={} sequence={} refused by {} as too far ahead of the clock: {};"
                + " restarting the sequence from the clock, reporting again next round",
            line.line(),
            family.wireName(),
            sequence,
            r.endpoint(),
            r.detail());
      }
      case Delivery.Rejected r ->
          log.error(
              "line={} family={} report refused by {}: HTTP {} {} {}",
              line.line(),
              family.wireName(),
              r.endpoint(),
              r.httpStatus(),
              r.status(),
              r.detail());
      case Delivery.Undelivered u ->
          log.warn(
              "line={} family={} report not delivered after {} attempts, retrying next round: {}",
              line.line(),
              family.wireName(),
              u.attempts(),
              u.lastError());
    }
  }

  /** The state as of the last round (for tests and {@code detect}). */
  AgentState state() {
    return state;
  }
}
