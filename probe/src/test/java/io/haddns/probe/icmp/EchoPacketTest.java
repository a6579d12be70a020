package io.haddns.probe.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EchoPacketTest {

  @Test
  void computesTheRfc1071ExampleChecksum() {
    // RFC 1071 section 3: words 0001 f203 f4f5 f6f7 sum to ddf2, checksum is its complement.
    byte[] data = {
      0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7
    };
    assertThat(EchoPacket.checksum(data, 0, data.length)).isEqualTo(~0xddf2 & 0xffff);
  }

  @Test
  void ipv4RequestChecksumsToZeroWhenVerified() {
    byte[] packet = EchoPacket.request(false, 0x1234, 0xbeef, 42L);
    assertThat(packet[0]).isEqualTo((byte) 8);
    assertThat(EchoPacket.checksum(packet, 0, packet.length)).isZero();
  }

  @Test
  void ipv6RequestLeavesTheChecksumToTheKernel() {
    byte[] packet = EchoPacket.request(true, 1, 2, 3L);
    assertThat(packet[0] & 0xff).isEqualTo(128);
    assertThat(packet[2]).isZero();
    assertThat(packet[3]).isZero();
  }

  @Test
  void parsesAPingSocketReplyWithoutIpHeader() {
    byte[] reply = EchoPacket.request(false, 7, 99, 0xcafeL);
    reply[0] = 0;
    assertThat(EchoPacket.parse(false, false, reply, reply.length))
        .contains(new EchoPacket.Incoming.Reply(7, 99, 0xcafeL));
  }

  @Test
  void stripsTheIpv4HeaderOfARawReply() {
    byte[] icmp = EchoPacket.request(false, 7, 99, 0xcafeL);
    icmp[0] = 0;
    byte[] datagram = ByteBuffer.allocate(24 + icmp.length).put((byte) 0x46).array();
    System.arraycopy(icmp, 0, datagram, 24, icmp.length);
    assertThat(EchoPacket.parse(false, true, datagram, datagram.length))
        .contains(new EchoPacket.Incoming.Reply(7, 99, 0xcafeL));
  }

  @Test
  void parsesAnIcmpv6Reply() {
    byte[] reply = EchoPacket.request(true, 7, 65535, -1L);
    reply[0] = (byte) 129;
    assertThat(EchoPacket.parse(true, false, reply, reply.length))
        .contains(new EchoPacket.Incoming.Reply(7, 65535, -1L));
  }

  @Test
  void ignoresEchoRequestsAndForeignPayloads() {
    byte[] request = EchoPacket.request(false, 7, 99, 1L);
    assertThat(EchoPacket.parse(false, false, request, request.length)).isEmpty();
    byte[] foreign = request.clone();
    foreign[0] = 0;
    foreign[20] = 'X';
    assertThat(EchoPacket.parse(false, false, foreign, foreign.length)).isEmpty();
    assertThat(EchoPacket.parse(false, false, foreign, 12)).isEmpty();
  }

  @Test
  void findsOurRequestInsideAnIpv4DestinationUnreachable() {
    byte[] echo = EchoPacket.request(false, 0x0102, 0x0304, 5L);
    ByteBuffer b = ByteBuffer.allocate(8 + 20 + 8);
    b.put((byte) 3).put((byte) 1).putShort((short) 0).putInt(0);
    b.put((byte) 0x45).put(new byte[8]).put((byte) 1).put(new byte[6]);
    b.put(new byte[] {(byte) 203, 0, 113, 9});
    b.put(echo, 0, 8);
    byte[] msg = b.array();
    assertThat(EchoPacket.parse(false, false, msg, msg.length))
        .get()
        .isInstanceOfSatisfying(
            EchoPacket.Incoming.Unreachable.class,
            u -> {
              assertThat(u.identifier()).isEqualTo(0x0102);
              assertThat(u.sequence()).isEqualTo(0x0304);
              assertThat(u.destination()).containsExactly(203, 0, 113, 9);
              assertThat(u.code()).isEqualTo(1);
            });
  }
}
