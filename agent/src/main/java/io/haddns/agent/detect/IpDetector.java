package io.haddns.agent.detect;

import io.haddns.agent.report.AddressFamily;

/**
 * Finds a line's public address by one method. An instance belongs to one line (its source address
 * or interface are part of its configuration).
 *
 * <p>Contract: {@link #detect} blocks for at most the detector's configured timeout (network or
 * process), never throws for a network, parse or process error — those are {@link Detection.Failed}
 * — and may be called from one thread at a time. If the calling thread is interrupted it returns
 * {@code Failed} with the interrupt flag set.
 */
public interface IpDetector {

  /** A short name for logs and {@code haddns-agent detect}, e.g. {@code https-echo}. */
  String name();

  Detection detect(AddressFamily family);
}
