package io.haddns.agent.report;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an agent tells the controller about one line and family (docs/agent-protocol.md), before
 * signing. Addresses are kept sorted by their bytes and distinct, as the canonical form wants them.
 *
 * @param observedAtMillis when the addresses were observed, Unix time in milliseconds
 * @param sequence the agent's monotonic counter, ≥ 1
 */
public record Report(
    String agent,
    String line,
    AddressFamily family,
    List<IpAddress> addresses,
    long observedAtMillis,
    long sequence) {
  public static final int MAX_ADDRESSES = 16;
  private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  public Report {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(addresses, "addresses");
    if (!AGENT_ID.matcher(agent).matches()) {
      throw new IllegalArgumentException(
          "agent must match " + AGENT_ID + ", got: " + IpAddress.printable(agent));
    }
    requireValidLineName(line);
    addresses = addresses.stream().distinct().sorted().toList();
    if (addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
      throw new IllegalArgumentException(
          "addresses must hold 1–" + MAX_ADDRESSES + " addresses, got " + addresses.size());
    }
    for (IpAddress address : addresses) {
      if (address.family() != family) {
        throw new IllegalArgumentException(
            "address " + address + " is not of family " + family.wireName());
      }
    }
    if (observedAtMillis < 0) {
      throw new IllegalArgumentException("observedAt must be ≥ 0, got " + observedAtMillis);
    }
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence must be ≥ 1, got " + sequence);
    }
  }

  /**
   * A line name must be printable (a control character, above all a newline, would change the
   * meaning of the canonical form) and at most 253 characters.
   */
  static void requireValidLineName(String line) {
    if (line.isEmpty() || line.length() > 253) {
      throw new IllegalArgumentException("line must have 1–253 characters");
    }
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isWhitespace(c)) {
        throw new IllegalArgumentException(
            "line must not contain whitespace or control characters: " + IpAddress.printable(line));
      }
    }
  }
}
