package io.haddns.agent.detect;

import io.haddns.agent.report.IpAddress;
import java.util.List;
import java.util.Objects;

/** What a detector saw for one line and family. */
public sealed interface Detection {

  /** The line's current public addresses (1 or more, sorted, one family). */
  record Found(List<IpAddress> addresses, String source) implements Detection {
    public Found {
      addresses = addresses.stream().distinct().sorted().toList();
      Objects.requireNonNull(source, "source");
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("Found needs at least one address; use Failed");
      }
    }
  }

  /**
   * The detector could not tell (error, disagreement, nothing public): never a reason to report,
   * and never a reason to clear the last reported address.
   */
  record Failed(String reason) implements Detection {
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
