package io.haddns.probe.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SynSegmentTest {
  private static final byte[] SOURCE = {(byte) 192, 0, 2, 1};
  private static final byte[] TARGET = {(byte) 198, 51, 100, 7};

  @Test
  void buildsASynWhoseChecksumVerifiesOverThePseudoHeader() {
    byte[] syn = SynSegment.syn(SOURCE, TARGET, 40000, 443, 0x12345678);

    assertThat(syn).hasSize(SynSegment.LENGTH);
    assertThat(SynSegment.word(syn, 0)).isEqualTo(40000);
    assertThat(SynSegment.word(syn, 2)).isEqualTo(443);
    assertThat(SynSegment.readInt(syn, 4)).isEqualTo(0x12345678);
    assertThat(syn[12] & 0xff).as("data offset: 6 words").isEqualTo(0x60);
    assertThat(syn[13]).isEqualTo((byte) SynSegment.SYN);
    assertThat(SynSegment.checksum(SOURCE, TARGET, syn, 0, syn.length)).isZero();
    // Any change of a covered byte, including the pseudo-header's addresses, breaks it.
    byte[] otherSource = {(byte) 192, 0, 2, 2};
    assertThat(SynSegment.checksum(otherSource, TARGET, syn, 0, syn.length)).isNotZero();
  }

  @Test
  void checksumIsTheOnesComplementSumOfPseudoHeaderAndSegment() {
    byte[] src = {10, 0, 0, 1};
    byte[] dst = {10, 0, 0, 2};
    byte[] seg = SynSegment.syn(src, dst, 0x9c40, 0x01bb, 0);
    int stored = SynSegment.word(seg, 16);
    seg[16] = 0;
    seg[17] = 0;
    assertThat(SynSegment.checksum(src, dst, seg, 0, seg.length)).isEqualTo(stored);
    // RFC 1071 arithmetic by hand: pseudo-header 0x0a00+0x0001+0x0a00+0x0002+0x0006+0x0018,
    // header words 0x9c40+0x01bb+0x6002+0xfaf0+0x0204+0x05b4, folded and complemented.
    long sum = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 0x0006 + 0x0018;
    sum += 0x9c40 + 0x01bb + 0x6002 + 0xfaf0 + 0x0204 + 0x05b4;
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    assertThat(stored).isEqualTo((int) (~sum & 0xffff));
  }

  private static byte[] datagram(int flags, int ack) {
    byte[] d = new byte[40];
    d[0] = 0x45;
    d[9] = 6;
    System.arraycopy(TARGET, 0, d, 12, 4);
    System.arraycopy(SOURCE, 0, d, 16, 4);
    d[20] = 0x01; // source port 443
    d[21] = (byte) 0xbb;
    d[22] = (byte) 0x9c; // destination port 40000
    d[23] = 0x40;
    d[28] = (byte) (ack >>> 24);
    d[29] = (byte) (ack >>> 16);
    d[30] = (byte) (ack >>> 8);
    d[31] = (byte) ack;
    d[32] = 0x50;
    d[33] = (byte) flags;
    return d;
  }

  @Test
  void readsASynAckAsAnOpenPortAndAResetWithAckAsAClosedOne() {
    var open = SynSegment.parse(datagram(SynSegment.SYN | SynSegment.ACK, 0x12345679), 40);
    var closed = SynSegment.parse(datagram(SynSegment.RST | SynSegment.ACK, 7), 40);

    assertThat(open)
        .contains(
            new SynSegment.Answer(SynSegment.readInt(TARGET, 0), 443, 40000, 0x12345679, false));
    assertThat(closed).hasValueSatisfying(a -> assertThat(a.reset()).isTrue());
  }

  @Test
  void ignoresSegmentsThatAnswerNoSyn() {
    assertThat(SynSegment.parse(datagram(SynSegment.ACK, 1), 40)).as("plain ACK").isEmpty();
    assertThat(SynSegment.parse(datagram(SynSegment.SYN, 1), 40)).as("a SYN").isEmpty();
    assertThat(SynSegment.parse(datagram(SynSegment.RST, 1), 40))
        .as("a reset without ACK (the host's own, to a SYN-ACK)")
        .isEmpty();
    byte[] udp = datagram(SynSegment.SYN | SynSegment.ACK, 1);
    udp[9] = 17;
    assertThat(SynSegment.parse(udp, 40)).as("not TCP").isEmpty();
    byte[] fragment = datagram(SynSegment.SYN | SynSegment.ACK, 1);
    fragment[6] = 0x20; // more fragments
    assertThat(SynSegment.parse(fragment, 40)).as("a fragment").isEmpty();
    assertThat(SynSegment.parse(datagram(SynSegment.SYN | SynSegment.ACK, 1), 39))
        .as("truncated")
        .isEmpty();
    byte[] v6 = Arrays.copyOf(datagram(SynSegment.SYN | SynSegment.ACK, 1), 40);
    v6[0] = 0x60;
    assertThat(SynSegment.parse(v6, 40)).as("not IPv4").isEmpty();
  }

  @Test
  void findsTheTcpHeaderAfterIpOptions() {
    byte[] d = new byte[44];
    byte[] plain = datagram(SynSegment.SYN | SynSegment.ACK, 99);
    System.arraycopy(plain, 0, d, 0, 20);
    System.arraycopy(plain, 20, d, 24, 20);
    d[0] = 0x46; // 24-byte IPv4 header

    assertThat(SynSegment.parse(d, 44))
        .hasValueSatisfying(a -> assertThat(a.acknowledged()).isEqualTo(99));
  }
}
