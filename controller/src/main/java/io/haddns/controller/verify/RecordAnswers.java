package io.haddns.controller.verify;

import io.haddns.controller.dns.RecordKey;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a zone's authoritative servers answer for a record now, each asked directly (as the verify
 * step asks them after an apply).
 */
@FunctionalInterface
public interface RecordAnswers {

  /**
   * One answer per authoritative server of {@code zone} (an empty set for no such name); empty when
   * a server could not be asked or did not answer.
   */
  Optional<List<Set<InetAddress>>> ask(String zone, RecordKey key);
}
