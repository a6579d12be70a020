package io.haddns.probe.icmp;

import io.haddns.probe.ProbeFaults;
import io.haddns.probe.ProbeResult;
import io.haddns.probe.ProbeResult.Failure;
import io.haddns.probe.ProbeResult.FailureReason;
import io.haddns.probe.ProbeResult.Fault;
import io.haddns.probe.ProbeResult.FaultKind;
import io.haddns.probe.icmp.PendingEchoes.Pending;
import io.haddns.probe.sys.LibC;
import io.haddns.probe.sys.RawSocketReader;
import io.haddns.probe.sys.SenderThread;
import io.haddns.probe.sys.Syscalls;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * One ICMP socket of one address family, shared by every target: callers queue echo requests, one
 * sender thread writes them ({@link SenderThread}; one not sent within half its timeout is a
 * starved fault), one receiver thread reads replies, matches them through {@link PendingEchoes} and
 * sweeps expired requests as timeouts.
 */
final class IcmpChannel implements AutoCloseable {
  private static final int RECEIVE_BUFFER_BYTES = 1 << 20;
  private static final Fault CLOSED = new Fault(FaultKind.UNAVAILABLE, "icmp prober closed");

  private final LibC libc;
  private final Syscalls sys;
  private final int fd;
  private final boolean v6;
  private final IcmpMode mode;
  private final RandomGenerator random;
  private final int identifier;
  private final PendingEchoes pending;
  private final RawSocketReader receiver;
  private final SenderThread<Request> sender;

  IcmpChannel(LibC libc, Syscalls sys, int fd, boolean v6, IcmpMode mode, RandomGenerator random) {
    this.libc = libc;
    this.sys = sys;
    this.fd = fd;
    this.v6 = v6;
    this.mode = mode;
    this.random = random;
    // Ping sockets get their identifier from the kernel; raw sockets share the host's replies,
    // so ours must be distinct from other pingers' (the cookie settles the rest).
    this.identifier = random.nextInt(1 << 16);
    this.pending = new PendingEchoes(random.nextInt(1 << 16));
    this.receiver =
        new RawSocketReader(sys, fd, v6 ? 28 : 16, "icmp-" + (v6 ? "v6" : "v4"), new Receiver());
    this.sender =
        new SenderThread<>(
            "icmp-send-" + (v6 ? "v6" : "v4"), this::send, r -> r.result().complete(CLOSED));
  }

  void start() {
    setOption(LibC.SOL_SOCKET, LibC.SO_RCVBUF, RawSocketReader.intBytes(RECEIVE_BUFFER_BYTES));
    if (mode == IcmpMode.RAW) {
      installRawFilter();
    }
    receiver.start();
    sender.start();
  }

  /** Queues an echo request for the sender thread; never blocks. */
  CompletableFuture<ProbeResult> probe(InetAddress target, Duration timeout) {
    Request r =
        new Request(target, System.nanoTime(), timeout.toNanos(), new CompletableFuture<>());
    sender.submit(r);
    return r.result();
  }

  /** An echo request asked for and not sent yet. */
  private record Request(
      InetAddress target,
      long askedNanos,
      long timeoutNanos,
      CompletableFuture<ProbeResult> result) {}

  private void send(Request r) {
    long now = System.nanoTime();
    Optional<Fault> late =
        ProbeFaults.sentTooLate(now - r.askedNanos(), r.timeoutNanos(), "echo request");
    if (late.isPresent()) {
      r.result().complete(late.get());
      return;
    }
    long cookie = random.nextLong();
    long timeLeft = r.askedNanos() + r.timeoutNanos() - now;
    Pending p = pending.add(r.target().getAddress(), cookie, now, timeLeft, r.result());
    if (p == null) {
      r.result().complete(new Fault(FaultKind.BUFFERS, "65536 echo requests already in flight"));
      return;
    }
    byte[] packet = EchoPacket.request(v6, identifier, p.sequence(), cookie);
    byte[] address = sockaddr(r.target());
    long sent = sys.sendto(fd, packet, packet.length, LibC.MSG_DONTWAIT, address, address.length);
    if (sent < 0) {
      pending.forget(p);
      int errno = (int) -sent;
      String detail = "sendto failed, errno " + errno;
      FailureReason reason =
          errno == LibC.ENETUNREACH || errno == LibC.EHOSTUNREACH || errno == LibC.EINVAL
              ? FailureReason.UNREACHABLE
              : FailureReason.ERROR;
      r.result()
          .complete(
              ProbeFaults.kindOfErrno(errno)
                  .<ProbeResult>map(k -> new Fault(k, detail))
                  .orElseGet(() -> new Failure(reason, detail)));
    }
  }

  @Override
  public void close() {
    sender.stop();
    receiver.stop();
    for (Pending p : pending.drain()) {
      p.future().complete(CLOSED);
    }
    libc.close(fd);
  }

  /** The receiver's view of this channel. */
  private final class Receiver implements RawSocketReader.Handler {
    @Override
    public long nanosUntilNextDeadline(long now) {
      return pending.nanosUntilNextDeadline(now);
    }

    @Override
    public void received(byte[] datagram, int length, byte[] from, long now) {
      boolean ipv4Header = !v6 && mode == IcmpMode.RAW;
      EchoPacket.parse(v6, ipv4Header, datagram, length).ifPresent(in -> deliver(in, from, now));
    }

    @Override
    public void sweep(long now) {
      for (Pending p : pending.expire(now)) {
        p.future().complete(new Failure(FailureReason.TIMEOUT, "no echo reply"));
      }
    }
  }

  private void deliver(EchoPacket.Incoming in, byte[] from, long now) {
    boolean raw = mode == IcmpMode.RAW;
    switch (in) {
      case EchoPacket.Incoming.Reply r -> {
        if (raw && r.identifier() != identifier) {
          return;
        }
        Pending p = pending.matchReply(r.sequence(), sourceOf(from), r.cookie());
        if (p != null) {
          p.future().complete(new ProbeResult.Success(Duration.ofNanos(now - p.sentNanos())));
        }
      }
      case EchoPacket.Incoming.Unreachable u -> {
        if (!raw || u.identifier() != identifier) {
          return;
        }
        Pending p = pending.matchUnreachable(u.sequence(), u.destination());
        if (p != null) {
          p.future()
              .complete(
                  new Failure(
                      FailureReason.UNREACHABLE, "destination unreachable, code " + u.code()));
        }
      }
    }
  }

  private byte[] sourceOf(byte[] sockaddr) {
    return v6 ? Arrays.copyOfRange(sockaddr, 8, 24) : Arrays.copyOfRange(sockaddr, 4, 8);
  }

  // struct sockaddr_in / sockaddr_in6: family and scope id in host order, the rest network order.
  private byte[] sockaddr(InetAddress target) {
    ByteBuffer b = ByteBuffer.allocate(v6 ? 28 : 16).order(ByteOrder.nativeOrder());
    b.putShort((short) (v6 ? LibC.AF_INET6 : LibC.AF_INET)).putShort((short) 0);
    if (v6) {
      b.putInt(0).put(target.getAddress());
      b.putInt(target instanceof Inet6Address a6 ? a6.getScopeId() : 0);
    } else {
      b.put(target.getAddress());
    }
    return b.array();
  }

  // Only echo replies and destination-unreachable errors wake the receiver (raw sockets see all
  // ICMP of the host). ICMP_FILTER: bit set = dropped; ICMP6_FILTER (RFC 3542 section 3.2): same.
  private void installRawFilter() {
    if (v6) {
      ByteBuffer filter = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
      for (int word = 0; word < 8; word++) {
        int pass = 0;
        for (int type : new int[] {1, 129}) {
          if (type >> 5 == word) {
            pass |= 1 << (type & 31);
          }
        }
        filter.putInt(~pass);
      }
      setOption(LibC.IPPROTO_ICMPV6, LibC.ICMP6_FILTER, filter.array());
    } else {
      setOption(LibC.SOL_RAW, LibC.ICMP_FILTER, RawSocketReader.intBytes(~((1 << 0) | (1 << 3))));
    }
  }

  private void setOption(int level, int name, byte[] value) {
    RawSocketReader.setOption(libc, fd, "icmp-" + (v6 ? "v6" : "v4"), level, name, value);
  }
}
