package io.haddns.probe.icmp;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.haddns.probe.ProbeResult;
import io.haddns.probe.ProbeResult.Failure;
import io.haddns.probe.ProbeResult.FailureReason;
import io.haddns.probe.Prober;
import io.haddns.probe.sys.LibC;
import io.haddns.probe.sys.Syscalls;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ICMP echo prober (RFC 792, RFC 4443) over one socket per address family, shared by all targets,
 * each read by one receiver thread; replies are matched by identifier, sequence, source and a
 * random cookie, and unanswered requests time out through a deadline table. Never uses {@code
 * InetAddress.isReachable}, which silently falls back to TCP port 7 without privileges.
 *
 * <p>Linux only. {@link #open()} prefers an unprivileged ping socket and falls back to a raw
 * socket; {@link #mode()} says which was chosen. IPv6 is optional: when the host has no IPv6, IPv6
 * probes fail with {@code error}.
 */
public final class IcmpProber implements Prober {
  private static final Logger log = LoggerFactory.getLogger(IcmpProber.class);

  private final IcmpMode mode;
  private final IcmpChannel v4;
  private final IcmpChannel v6;

  private IcmpProber(IcmpMode mode, IcmpChannel v4, IcmpChannel v6) {
    this.mode = mode;
    this.v4 = v4;
    this.v6 = v6;
  }

  /**
   * Opens sockets and starts receiver threads, with a ping socket if permitted, else a raw socket.
   *
   * @throws IcmpUnavailableException when neither is permitted; the message names the sysctl {@code
   *     net.ipv4.ping_group_range} and the capability {@code CAP_NET_RAW}
   */
  public static IcmpProber open() {
    return open(null, new SecureRandom());
  }

  /** As {@link #open()}, but only with the given kind of socket. */
  public static IcmpProber open(IcmpMode mode) {
    return open(java.util.Objects.requireNonNull(mode, "mode"), new SecureRandom());
  }

  /** {@code forced} null means ping socket first; {@code random} makes identifiers and cookies. */
  public static IcmpProber open(IcmpMode forced, RandomGenerator random) {
    if (!Platform.isLinux() || Native.LONG_SIZE != 8) {
      throw new IcmpUnavailableException(
          "ICMP probing needs 64-bit Linux, this is " + Platform.RESOURCE_PREFIX);
    }
    LibC libc = Native.load("c", LibC.class);
    Syscalls sys = Syscalls.load();
    IcmpSocketChooser chooser = new IcmpSocketChooser(libc::socket);
    IcmpSocketChooser.Chosen four = chooser.choose(false, forced);
    IcmpChannel v4 = new IcmpChannel(libc, sys, four.fd(), false, four.mode(), random);
    IcmpChannel v6 = null;
    try {
      IcmpSocketChooser.Chosen six = chooser.choose(true, four.mode());
      v6 = new IcmpChannel(libc, sys, six.fd(), true, six.mode(), random);
    } catch (IcmpUnavailableException e) {
      log.warn("icmp ipv6 unavailable, IPv6 probes will fail: {}", e.getMessage());
    }
    v4.start();
    if (v6 != null) {
      v6.start();
    }
    log.info("icmp prober opened mode={} ipv6={}", four.mode().label(), v6 != null);
    return new IcmpProber(four.mode(), v4, v6);
  }

  /** Which kind of socket is in use, for logs and status. */
  public IcmpMode mode() {
    return mode;
  }

  public boolean supportsIpv6() {
    return v6 != null;
  }

  @Override
  public CompletableFuture<ProbeResult> probe(InetAddress target, Duration timeout) {
    IcmpChannel channel = target instanceof Inet4Address ? v4 : v6;
    if (channel == null) {
      return CompletableFuture.completedFuture(
          new Failure(FailureReason.ERROR, "ICMPv6 socket unavailable on this host"));
    }
    return channel.probe(target, timeout);
  }

  @Override
  public void close() {
    v4.close();
    if (v6 != null) {
      v6.close();
    }
  }
}
