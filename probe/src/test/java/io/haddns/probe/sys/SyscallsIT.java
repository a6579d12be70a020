package io.haddns.probe.sys;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The directly bound calls against the real C library: results, and errno without exceptions. */
class SyscallsIT {
  private static final int EBADF = 9;

  private final LibC libc = Native.load("c", LibC.class);
  private final Syscalls sys = Syscalls.load();
  private final int fd =
      libc.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);

  @AfterEach
  void close() {
    libc.close(fd);
  }

  private static byte[] sockaddr(InetAddress address, int port) {
    return ByteBuffer.allocate(16)
        .order(ByteOrder.nativeOrder())
        .putShort((short) LibC.AF_INET)
        .order(ByteOrder.BIG_ENDIAN)
        .putShort((short) port)
        .put(address.getAddress())
        .array();
  }

  @Test
  void aDatagramSentIsReceivedAndAnEmptySocketSaysEagain() throws Exception {
    try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      byte[] to = sockaddr(InetAddress.getLoopbackAddress(), peer.getLocalPort());
      byte[] payload = {1, 2, 3};
      assertThat(sys.sendto(fd, payload, payload.length, LibC.MSG_DONTWAIT, to, to.length))
          .isEqualTo(3);
      DatagramPacket got = new DatagramPacket(new byte[16], 16);
      peer.setSoTimeout(2000);
      peer.receive(got);
      assertThat(got.getLength()).isEqualTo(3);

      byte[] pollFd = Syscalls.pollIn(fd);
      assertThat(sys.poll(pollFd, 1, 0)).isZero();
      byte[] from = new byte[16];
      int[] fromLength = {from.length};
      assertThat(sys.recvfrom(fd, new byte[16], 16, LibC.MSG_DONTWAIT, from, fromLength))
          .isEqualTo(-LibC.EAGAIN);

      peer.send(new DatagramPacket(payload, 2, got.getSocketAddress()));
      assertThat(sys.poll(pollFd, 1, 2000)).isEqualTo(1);
      assertThat(sys.recvfrom(fd, new byte[16], 16, LibC.MSG_DONTWAIT, from, fromLength))
          .isEqualTo(2);
    }
  }

  @Test
  void aFailedCallReturnsMinusItsErrno() {
    byte[] to = sockaddr(InetAddress.getLoopbackAddress(), 9);
    assertThat(sys.sendto(-1, new byte[1], 1, 0, to, to.length)).isEqualTo(-EBADF);
    assertThat(sys.recvfrom(-1, new byte[1], 1, 0, new byte[16], new int[] {16})).isEqualTo(-EBADF);
  }
}
