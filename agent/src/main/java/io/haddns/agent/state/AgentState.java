package io.haddns.agent.state;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the agent has signed and had acknowledged, kept across restarts: the last sequence it signed
 * (so it never reuses one) and, per line and family, the last acknowledged addresses and when.
 */
public record AgentState(long sequence, Map<String, Reported> reported) {
  public static final AgentState EMPTY = new AgentState(0, Map.of());

  public AgentState {
    Objects.requireNonNull(reported, "reported");
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be ≥ 0, got " + sequence);
    }
    reported = Map.copyOf(reported);
  }

  /** The last acknowledged report of a line and family. */
  public record Reported(List<IpAddress> addresses, long reportedAtMillis) {
    public Reported {
      addresses = List.copyOf(addresses);
    }
  }

  public static String key(String line, AddressFamily family) {
    return line + "/" + family.wireName();
  }

  public AgentState withSequence(long newSequence) {
    return new AgentState(newSequence, reported);
  }

  public AgentState withReported(String line, AddressFamily family, Reported value) {
    Map<String, Reported> copy = new HashMap<>(reported);
    copy.put(key(line, family), value);
    return new AgentState(sequence, copy);
  }
}
