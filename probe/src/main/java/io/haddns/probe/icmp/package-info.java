/**
 * ICMP echo probing through libc sockets (JNA), Linux only.
 *
 * <p>{@link io.haddns.probe.icmp.IcmpProber#open()} opens one socket per address family: an
 * unprivileged ping socket when the sysctl {@code net.ipv4.ping_group_range} admits the process,
 * else a raw socket (needs {@code CAP_NET_RAW}); with neither it throws {@link
 * io.haddns.probe.icmp.IcmpUnavailableException}. All targets share these sockets; one receiver
 * thread per socket matches replies by identifier, sequence, source and a random cookie, and sweeps
 * a deadline table for timeouts. Probes never block the caller and never fail exceptionally.
 */
package io.haddns.probe.icmp;
