/**
 * Finding a line's public address: HTTPS echo services with a quorum, STUN, a local interface,
 * cloud instance metadata or an operator's command, each an {@link
 * io.haddns.agent.detect.IpDetector} bound to the line's source address or interface.
 *
 * <p>Detectors only observe: they never sign or send reports, and every one is bounded by its
 * timeout. An address that cannot be a line's public address is refused here unless the line allows
 * private addresses.
 */
package io.haddns.agent.detect;
