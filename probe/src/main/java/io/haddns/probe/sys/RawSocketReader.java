package io.haddns.probe.sys;

import com.sun.jna.LastErrorException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver thread of one non-blocking raw socket: waits for datagrams with {@code poll}, hands
 * each to its {@link Handler}, and lets the handler sweep its deadlines at least every {@value
 * #MAX_SWEEP_MILLIS} ms while anything is pending (every {@value #IDLE_POLL_MILLIS} ms otherwise).
 * Datagrams that arrived before a deadline are always handed over before that sweep.
 */
public final class RawSocketReader {
  private static final Logger log = LoggerFactory.getLogger(RawSocketReader.class);
  private static final int MAX_SWEEP_MILLIS = 10;
  private static final int IDLE_POLL_MILLIS = 100;
  private static final long BUSY_NAP_NANOS = 1_000_000;

  /** What the reader's thread calls; never called concurrently. */
  public interface Handler {
    /** Nanoseconds from {@code now} until the earliest deadline, or -1 when nothing is pending. */
    long nanosUntilNextDeadline(long now);

    /**
     * One datagram, {@code datagram[0, length)}, from the {@code struct sockaddr} in {@code from},
     * read at {@code now}; the arrays are reused after the call returns.
     */
    void received(byte[] datagram, int length, byte[] from, long now);

    /** Ends what is due at {@code now}. */
    void sweep(long now);
  }

  private final Syscalls sys;
  private final int fd;
  private final String name;
  private final Handler handler;
  private final byte[] from;
  private final Thread thread;
  private volatile boolean stopped;

  /**
   * @param fromLength the size of the socket family's {@code struct sockaddr} (16 for IPv4, 28 for
   *     IPv6)
   * @param name names the thread ({@code haddns-<name>}) and the socket in logs
   */
  public RawSocketReader(Syscalls sys, int fd, int fromLength, String name, Handler handler) {
    this.sys = sys;
    this.fd = fd;
    this.name = name;
    this.handler = handler;
    this.from = new byte[fromLength];
    this.thread = Thread.ofPlatform().daemon().name("haddns-" + name).unstarted(this::run);
  }

  public void start() {
    thread.start();
  }

  /** Stops the thread and waits for it; the socket stays open. */
  public void stop() {
    stopped = true;
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    byte[] pollFd = Syscalls.pollIn(fd);
    byte[] buf = new byte[1500];
    int[] fromLength = new int[1];
    long lastRead = System.nanoTime() - BUSY_NAP_NANOS;
    while (!stopped) {
      long wait = handler.nanosUntilNextDeadline(System.nanoTime());
      int millis =
          wait < 0
              ? IDLE_POLL_MILLIS
              : (int) Math.min(MAX_SWEEP_MILLIS, (wait + 999_999) / 1_000_000);
      int read = 0;
      int ready = sys.poll(pollFd, 1, millis);
      if (ready > 0) {
        read = drain(buf, fromLength);
      } else if (ready < 0 && -ready != LibC.EINTR) {
        log.warn("socket={} poll failed errno={}", name, -ready);
      }
      long now = System.nanoTime();
      try {
        handler.sweep(now);
      } catch (RuntimeException e) {
        log.error("socket={} sweep failed, going on", name, e);
      }
      boolean busy = read > 0 && now - lastRead < 2 * BUSY_NAP_NANOS;
      if (read > 0) {
        lastRead = now;
      }
      if (busy) {
        // Answers keep coming: let them gather for a moment instead of waking for each one (a
        // wake-up and three system calls per answer at thousands a second). The sweep above has
        // handled what was due; the next deadline bounds the nap.
        long due = handler.nanosUntilNextDeadline(System.nanoTime());
        LockSupport.parkNanos(due < 0 ? BUSY_NAP_NANOS : Math.min(BUSY_NAP_NANOS, due));
      }
    }
  }

  private int drain(byte[] buf, int[] fromLength) {
    int read = 0;
    while (true) {
      fromLength[0] = from.length;
      long n = sys.recvfrom(fd, buf, buf.length, LibC.MSG_DONTWAIT, from, fromLength);
      if (n < 0) {
        if (-n != LibC.EAGAIN && -n != LibC.EINTR) {
          log.warn("socket={} recvfrom failed errno={}", name, -n);
        }
        return read;
      }
      read++;
      try {
        handler.received(buf, (int) n, from, System.nanoTime());
      } catch (RuntimeException e) {
        // One datagram the handler could not take must not end the reading of all the others.
        log.error("socket={} could not handle a datagram of {} bytes", name, n, e);
      }
    }
  }

  /** Sets a socket option, logging (not failing) when the kernel refuses it; true when set. */
  public static boolean setOption(LibC libc, int fd, String name, int level, int option, byte[] v) {
    try {
      libc.setsockopt(fd, level, option, v, v.length);
      return true;
    } catch (LastErrorException e) {
      log.warn(
          "socket={} setsockopt level={} name={} failed errno={}, continuing without it",
          name,
          level,
          option,
          e.getErrorCode());
      return false;
    }
  }

  /** An {@code int} option value in host order. */
  public static byte[] intBytes(int value) {
    return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
  }
}
