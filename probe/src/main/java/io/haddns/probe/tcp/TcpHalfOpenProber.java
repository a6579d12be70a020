package io.haddns.probe.tcp;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.haddns.probe.PortProber;
import io.haddns.probe.ProbeFaults;
import io.haddns.probe.ProbeResult;
import io.haddns.probe.ProbeResult.Failure;
import io.haddns.probe.ProbeResult.FailureReason;
import io.haddns.probe.ProbeResult.Fault;
import io.haddns.probe.ProbeResult.FaultKind;
import io.haddns.probe.sys.LibC;
import io.haddns.probe.sys.RawSocketReader;
import io.haddns.probe.sys.SenderThread;
import io.haddns.probe.sys.Syscalls;
import io.haddns.probe.tcp.PendingSyns.Pending;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP half-open prober for IPv4: sends a SYN from one raw socket shared by every target and waits
 * for the target's SYN-ACK (success: the port accepts connections) or RST (failure {@code
 * refused}); {@code timeout} at the deadline. The host's kernel answers the SYN-ACK with a reset,
 * since no socket of its own is connecting, so the target's half-open connection ends at once. The
 * handshake is never completed: no socket per probe, no connection accepted by the target's
 * application, no closing exchange — a fraction of a connect's CPU on both ends
 * (docs/benchmarks.md, "Probing at scale").
 *
 * <p>SYNs leave from a few local ports this prober holds bound (so the host never uses them for its
 * own connections) with a random sequence number each; an answer counts only when its address,
 * ports and acknowledgment number all match a SYN in flight. A kernel filter lets only segments
 * with SYN and ACK, or RST, reach the receiver thread (a raw TCP socket sees every TCP segment the
 * host receives). The source address of each target, needed for the checksum, is the one the host's
 * routing picks; it is looked up again every {@value #SOURCE_TTL_SECONDS} s and after a timeout.
 *
 * <p>Needs {@code CAP_NET_RAW} and 64-bit Linux. IPv6 targets are probed by {@code ipv6} (a connect
 * prober). Thread-safe; {@link #probe} only queues the SYN for the sender thread and never blocks
 * (sent from the caller's thread, the kernel's work for the SYN and its answers — all of it, for a
 * target on this host — delayed the probe engine's round starts). A SYN the sender could not send
 * within half its timeout is a {@link FaultKind#STARVED} fault, as with connects.
 */
public final class TcpHalfOpenProber implements PortProber {
  private static final Logger log = LoggerFactory.getLogger(TcpHalfOpenProber.class);
  private static final Fault CLOSED = new Fault(FaultKind.UNAVAILABLE, "tcp prober closed");
  static final int SOURCE_TTL_SECONDS = 30;
  private static final int SOURCE_PORTS = 16;
  private static final int MAX_IN_FLIGHT = 1 << 20;
  private static final int RECEIVE_BUFFER_BYTES = 4 << 20;

  /** Where a target's SYNs leave from, as the host's routing said at {@code checkedNanos}. */
  private record Route(byte[] source, long checkedNanos) {}

  private final LibC libc;
  private final Syscalls sys;
  private final int fd;
  private final List<SocketChannel> reservations;
  private final int[] sourcePorts;
  private final PortProber ipv6;
  private final RandomGenerator random;
  private final PendingSyns pending = new PendingSyns(MAX_IN_FLIGHT);
  private final Map<Integer, Route> routes = new ConcurrentHashMap<>();
  // Sender thread only.
  private int nextPort;
  private final SenderThread<Request> sender;
  private final RawSocketReader receiver;
  private volatile boolean closed;

  private TcpHalfOpenProber(
      LibC libc,
      Syscalls sys,
      int fd,
      List<SocketChannel> reservations,
      PortProber ipv6,
      RandomGenerator random) {
    this.libc = libc;
    this.sys = sys;
    this.fd = fd;
    this.reservations = List.copyOf(reservations);
    this.sourcePorts = reservations.stream().mapToInt(TcpHalfOpenProber::localPort).toArray();
    this.ipv6 = ipv6;
    this.random = random;
    this.receiver = new RawSocketReader(sys, fd, 16, "tcp-halfopen", new Receiver());
    this.sender =
        new SenderThread<>("tcp-halfopen-send", this::send, r -> r.result().complete(CLOSED));
  }

  /**
   * Opens the raw socket, binds the source ports and starts the receiver thread; IPv6 probes go to
   * {@code ipv6}, which this prober closes with itself.
   *
   * @throws TcpHalfOpenUnavailableException when the raw socket is not permitted (the message names
   *     the capability) or this is not 64-bit Linux
   */
  public static TcpHalfOpenProber open(PortProber ipv6) {
    return open(ipv6, new SecureRandom());
  }

  static TcpHalfOpenProber open(PortProber ipv6, RandomGenerator random) {
    if (!Platform.isLinux() || Native.LONG_SIZE != 8) {
      throw new TcpHalfOpenUnavailableException(
          "TCP half-open probing needs 64-bit Linux, this is " + Platform.RESOURCE_PREFIX);
    }
    LibC libc = Native.load("c", LibC.class);
    Syscalls sys = Syscalls.load();
    int fd;
    try {
      fd =
          libc.socket(
              LibC.AF_INET,
              LibC.SOCK_RAW | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC,
              LibC.IPPROTO_TCP);
    } catch (LastErrorException e) {
      throw new TcpHalfOpenUnavailableException(
          "TCP half-open probing needs a raw socket, refused with errno "
              + e.getErrorCode()
              + ": grant the capability CAP_NET_RAW (systemd AmbientCapabilities=CAP_NET_RAW,"
              + " Kubernetes securityContext.capabilities.add: [NET_RAW]) or probe with connects");
    }
    List<SocketChannel> reservations = new ArrayList<>();
    try {
      for (int i = 0; i < SOURCE_PORTS; i++) {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.INET);
        reservations.add(ch);
        ch.bind(new InetSocketAddress(0));
      }
    } catch (IOException e) {
      closeAll(reservations);
      libc.close(fd);
      throw new TcpHalfOpenUnavailableException(
          "TCP half-open probing could not bind its source ports: " + e.getMessage());
    }
    TcpHalfOpenProber prober = new TcpHalfOpenProber(libc, sys, fd, reservations, ipv6, random);
    prober.start();
    return prober;
  }

  private void start() {
    byte[] size = RawSocketReader.intBytes(RECEIVE_BUFFER_BYTES);
    if (!setOption(LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, size)) {
      setOption(LibC.SOL_SOCKET, LibC.SO_RCVBUF, size);
    }
    attachFilter();
    receiver.start();
    sender.start();
    log.info("tcp half-open prober opened sourcePorts={}", sourcePorts.length);
  }

  @Override
  public CompletableFuture<ProbeResult> probe(InetAddress target, int port, Duration timeout) {
    if (!(target instanceof Inet4Address)) {
      return ipv6.probe(target, port, timeout);
    }
    Request r =
        new Request(target, port, System.nanoTime(), timeout.toNanos(), new CompletableFuture<>());
    sender.submit(r);
    return r.result();
  }

  /** A probe asked for and not sent yet. */
  private record Request(
      InetAddress target,
      int port,
      long askedNanos,
      long timeoutNanos,
      CompletableFuture<ProbeResult> result) {}

  private void send(Request r) {
    long now = System.nanoTime();
    Optional<Fault> late = ProbeFaults.sentTooLate(now - r.askedNanos(), r.timeoutNanos(), "SYN");
    if (late.isPresent()) {
      r.result().complete(late.get());
      return;
    }
    byte[] destination = r.target().getAddress();
    int key = SynSegment.readInt(destination, 0);
    byte[] source;
    try {
      source = sourceFor(r.target(), key, now);
    } catch (IOException e) {
      String detail = "no route: " + e.getMessage();
      r.result()
          .complete(
              ProbeFaults.of(e)
                  .<ProbeResult>map(f -> f)
                  .orElseGet(() -> new Failure(FailureReason.UNREACHABLE, detail)));
      return;
    }
    int sourcePort = sourcePorts[nextPort];
    nextPort = (nextPort + 1) % sourcePorts.length;
    long timeLeft = r.askedNanos() + r.timeoutNanos() - now;
    Pending p = null;
    for (int tries = 0; p == null && tries < 8 && !pending.full(); tries++) {
      p = pending.add(random.nextInt(), key, r.port(), sourcePort, now, timeLeft, r.result());
    }
    if (p == null) {
      r.result().complete(new Fault(FaultKind.BUFFERS, "too many SYNs in flight"));
      return;
    }
    byte[] segment = SynSegment.syn(source, destination, sourcePort, r.port(), p.seq());
    byte[] address = sockaddr(destination);
    long sent = sys.sendto(fd, segment, segment.length, LibC.MSG_DONTWAIT, address, address.length);
    if (sent < 0) {
      pending.forget(p);
      r.result().complete(sendFailure((int) -sent));
    }
  }

  private static ProbeResult sendFailure(int errno) {
    String detail = "sendto failed, errno " + errno;
    if (errno == LibC.EAGAIN) {
      return new Fault(FaultKind.BUFFERS, detail + " (raw socket's send buffer full)");
    }
    if (errno == LibC.ENETUNREACH || errno == LibC.EHOSTUNREACH) {
      return new Failure(FailureReason.UNREACHABLE, detail);
    }
    return ProbeFaults.kindOfErrno(errno)
        .<ProbeResult>map(k -> new Fault(k, detail))
        .orElseGet(() -> new Failure(FailureReason.ERROR, detail));
  }

  /** The source address the host's routing picks for {@code target}, cached. */
  private byte[] sourceFor(InetAddress target, int key, long now) throws IOException {
    Route r = routes.get(key);
    if (r != null && now - r.checkedNanos() < Duration.ofSeconds(SOURCE_TTL_SECONDS).toNanos()) {
      return r.source();
    }
    try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
      // Connecting a datagram socket sends nothing: it only asks the routing table.
      ch.connect(new InetSocketAddress(target, 9));
      byte[] source = ((InetSocketAddress) ch.getLocalAddress()).getAddress().getAddress();
      routes.put(key, new Route(source, now));
      return source;
    }
  }

  /** SYNs in flight now. */
  public int inFlight() {
    return pending.size();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    sender.stop();
    receiver.stop();
    for (Pending p : pending.drain()) {
      p.future().complete(CLOSED);
    }
    libc.close(fd);
    closeAll(reservations);
    ipv6.close();
  }

  /** The receiver's view of this prober. */
  private final class Receiver implements RawSocketReader.Handler {
    @Override
    public long nanosUntilNextDeadline(long now) {
      return pending.nanosUntilNextDeadline(now);
    }

    @Override
    public void received(byte[] datagram, int length, byte[] from, long now) {
      SynSegment.parse(datagram, length).ifPresent(a -> deliver(a, now));
    }

    @Override
    public void sweep(long now) {
      for (Pending p : pending.expire(now)) {
        // The route may have moved (an uplink changed): look the source up again next time.
        routes.remove(p.target());
        p.future().complete(new Failure(FailureReason.TIMEOUT, "no SYN-ACK or reset"));
      }
    }
  }

  private void deliver(SynSegment.Answer a, long now) {
    Pending p = pending.match(a);
    if (p == null) {
      return;
    }
    if (a.reset()) {
      p.future().complete(new Failure(FailureReason.REFUSED, "connection refused (reset)"));
    } else {
      p.future().complete(new ProbeResult.Success(Duration.ofNanos(now - p.sentNanos())));
    }
  }

  // Classic BPF over the IPv4 datagram: accept when the TCP flags hold RST, or both SYN and ACK.
  private void attachFilter() {
    int[][] program = {
      {0xb1, 0, 0, 0}, // ldxb 4*([0]&0xf): X = IPv4 header length
      {0x50, 0, 0, 13}, // ldb [x+13]: TCP flags
      {0x45, 3, 0, SynSegment.RST}, // jset RST -> accept
      {0x54, 0, 0, SynSegment.SYN | SynSegment.ACK}, // and SYN|ACK
      {0x15, 1, 0, SynSegment.SYN | SynSegment.ACK}, // jeq SYN|ACK -> accept
      {0x06, 0, 0, 0}, // drop
      {0x06, 0, 0, 0xffff}, // accept up to 65535 bytes
    };
    try (Memory filter = new Memory(program.length * 8L)) {
      for (int i = 0; i < program.length; i++) {
        int[] ins = program[i];
        filter.setShort(i * 8L, (short) ins[0]);
        filter.setByte(i * 8L + 2, (byte) ins[1]);
        filter.setByte(i * 8L + 3, (byte) ins[2]);
        filter.setInt(i * 8L + 4, ins[3]);
      }
      byte[] fprog =
          ByteBuffer.allocate(16)
              .order(ByteOrder.nativeOrder())
              .putShort((short) program.length)
              .putShort((short) 0)
              .putInt(0)
              .putLong(Pointer.nativeValue(filter))
              .array();
      // The kernel copies the program: the memory may go once the call returns.
      setOption(LibC.SOL_SOCKET, LibC.SO_ATTACH_FILTER, fprog);
    }
  }

  private boolean setOption(int level, int name, byte[] value) {
    return RawSocketReader.setOption(libc, fd, "tcp-halfopen", level, name, value);
  }

  // struct sockaddr_in: family in host order, port (ignored by raw sockets) and address in network
  // order.
  private static byte[] sockaddr(byte[] address) {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    b.putShort((short) LibC.AF_INET).putShort((short) 0).put(address);
    return b.array();
  }

  private static int localPort(SocketChannel ch) {
    try {
      return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new TcpHalfOpenUnavailableException("source port unreadable: " + e.getMessage());
    }
  }

  private static void closeAll(List<SocketChannel> channels) {
    for (SocketChannel ch : channels) {
      try {
        ch.close();
      } catch (IOException e) {
        log.debug("tcp half-open source port close failed: {}", e.toString());
      }
    }
  }
}
