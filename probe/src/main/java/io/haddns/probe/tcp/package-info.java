/**
 * TCP probing. {@link io.haddns.probe.tcp.TcpConnectProber} runs non-blocking connects on one
 * selector thread, succeeds on a completed handshake, reports {@code refused} on reset, {@code
 * timeout} at the deadline, and closes every socket with {@code SO_LINGER} 0 (no {@code
 * TIME_WAIT}). {@link io.haddns.probe.tcp.TcpHalfOpenProber} sends SYNs from one raw socket instead
 * and takes the SYN-ACK or the reset as the answer (IPv4; needs {@code CAP_NET_RAW}).
 */
package io.haddns.probe.tcp;
