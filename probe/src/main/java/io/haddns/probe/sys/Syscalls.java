package io.haddns.probe.sys;

import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The system calls probing makes for every packet — {@code sendto}, {@code recvfrom} and {@code
 * poll} — bound through JNA's direct mapping. A call through {@link LibC} goes through a proxy, an
 * argument array and reflection, and a failure throws (an exception with its stack for every {@code
 * EAGAIN} that ends a drain of a socket); at tens of thousands of packets a second that cost more
 * than the calls. Here each returns what the call returned, or minus {@code errno} when it failed.
 * The other calls, made once per socket, stay on {@link LibC}.
 */
public final class Syscalls {
  private Syscalls() {}

  /**
   * Binds the calls to the C library.
   *
   * @throws UnsatisfiedLinkError when it cannot be bound (not Linux, no JNA native support)
   */
  public static Syscalls load() {
    Direct.bind();
    return new Syscalls();
  }

  /** {@code sendto(2)}: bytes sent, or minus errno. */
  public long sendto(int fd, byte[] buf, int length, int flags, byte[] addr, int addrLength) {
    return orErrno(Direct.sendto(fd, buf, length, flags, addr, addrLength));
  }

  /** {@code recvfrom(2)}: bytes received, or minus errno; {@code addrLength[0]} in and out. */
  public long recvfrom(int fd, byte[] buf, int length, int flags, byte[] addr, int[] addrLength) {
    return orErrno(Direct.recvfrom(fd, buf, length, flags, addr, addrLength));
  }

  /**
   * {@code poll(2)}: the number of ready descriptors, or minus errno; {@code fds} holds {@code
   * struct pollfd[nfds]}.
   */
  public int poll(byte[] fds, int nfds, int timeoutMillis) {
    return (int) orErrno(Direct.poll(fds, nfds, timeoutMillis));
  }

  /**
   * One {@code struct pollfd} asking whether {@code fd} has something to read, for {@link #poll}.
   */
  public static byte[] pollIn(int fd) {
    return ByteBuffer.allocate(8)
        .order(ByteOrder.nativeOrder())
        .putInt(fd)
        .putShort(LibC.POLLIN)
        .putShort((short) 0)
        .array();
  }

  private static long orErrno(long result) {
    return result >= 0 ? result : -Native.getLastError();
  }

  /** JNA's direct mapping binds static native methods; JNA keeps {@code errno} per call. */
  private static final class Direct {
    static {
      Native.register("c");
    }

    private Direct() {}

    static void bind() {
      // Loading this class ran the registration above.
    }

    static native long sendto(
        int fd, byte[] buf, long length, int flags, byte[] addr, int addrLength);

    static native long recvfrom(
        int fd, byte[] buf, long length, int flags, byte[] addr, int[] addrLength);

    static native int poll(byte[] fds, long nfds, int timeoutMillis);
  }
}
