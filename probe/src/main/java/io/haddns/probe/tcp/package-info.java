/**
 * TCP connect probing: {@link io.haddns.probe.tcp.TcpConnectProber} runs non-blocking connects on
 * one selector thread, succeeds on a completed handshake, reports {@code refused} on reset, {@code
 * timeout} at the deadline, and closes every socket with {@code SO_LINGER} 0 (no {@code
 * TIME_WAIT}).
 */
package io.haddns.probe.tcp;
