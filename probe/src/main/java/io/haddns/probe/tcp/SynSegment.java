package io.haddns.probe.tcp;

import java.util.Optional;

/**
 * The TCP segments of a half-open probe over IPv4 (RFC 9293): the SYN it sends, and the answers it
 * reads from a raw socket, which hands over whole IPv4 datagrams.
 */
final class SynSegment {
  static final int SYN = 0x02;
  static final int RST = 0x04;
  static final int ACK = 0x10;
  // 20-byte header and one option: MSS 1460, as an ordinary SYN carries.
  static final int LENGTH = 24;
  private static final int MSS = 1460;
  private static final int WINDOW = 64240;

  private SynSegment() {}

  /**
   * A SYN from {@code sourcePort} to {@code destinationPort} with sequence number {@code seq}, its
   * checksum over the IPv4 pseudo-header of {@code source} and {@code destination} (4 bytes each).
   */
  static byte[] syn(
      byte[] source, byte[] destination, int sourcePort, int destinationPort, int seq) {
    byte[] b = new byte[LENGTH];
    putShort(b, 0, sourcePort);
    putShort(b, 2, destinationPort);
    putInt(b, 4, seq);
    // acknowledgment number 0
    b[12] = (byte) ((LENGTH / 4) << 4);
    b[13] = SYN;
    putShort(b, 14, WINDOW);
    // checksum at 16, urgent pointer 0
    b[20] = 2; // kind: maximum segment size
    b[21] = 4;
    putShort(b, 22, MSS);
    putShort(b, 16, checksum(source, destination, b, 0, LENGTH));
    return b;
  }

  /**
   * The one's complement checksum of the segment {@code b[offset, offset+length)} with its IPv4
   * pseudo-header (RFC 9293 section 3.1); over a segment that carries its checksum, 0 when intact.
   */
  static int checksum(byte[] source, byte[] destination, byte[] b, int offset, int length) {
    long sum = 0;
    for (int i = 0; i < 4; i += 2) {
      sum += word(source, i) + word(destination, i);
    }
    sum += 6 + length; // zero, protocol TCP, TCP length
    int end = offset + length;
    for (int i = offset; i + 1 < end; i += 2) {
      sum += word(b, i);
    }
    if ((length & 1) != 0) {
      sum += (b[end - 1] & 0xff) << 8;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }

  /**
   * An answer to a probe: a segment with ACK set and SYN (the port is open) or RST (it is closed),
   * {@code acknowledged} being the probe's sequence number + 1.
   */
  record Answer(int source, int sourcePort, int destinationPort, int acknowledged, boolean reset) {}

  /**
   * The answer in IPv4 datagram {@code d[0, length)}, or empty when it is not one: not TCP, a
   * fragment, truncated, without ACK, or neither SYN nor RST (segments of the host's own
   * connections, which a raw TCP socket sees too).
   */
  static Optional<Answer> parse(byte[] d, int length) {
    if (length < 20 || (d[0] & 0xf0) != 0x40 || d[9] != 6) {
      return Optional.empty();
    }
    int headerLength = (d[0] & 0x0f) * 4;
    boolean fragment = (word(d, 6) & 0x3fff) != 0; // more-fragments flag or an offset
    if (fragment || headerLength < 20 || length < headerLength + 20) {
      return Optional.empty();
    }
    int t = headerLength;
    int flags = d[t + 13] & 0xff;
    boolean synAck = (flags & (SYN | ACK)) == (SYN | ACK);
    boolean reset = (flags & (RST | ACK)) == (RST | ACK);
    if (!synAck && !reset) {
      return Optional.empty();
    }
    return Optional.of(
        new Answer(
            readInt(d, 12), word(d, t), word(d, t + 2), readInt(d, t + 8), reset && !synAck));
  }

  static int word(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  static int readInt(byte[] b, int i) {
    return (word(b, i) << 16) | word(b, i + 2);
  }

  private static void putShort(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 8);
    b[i + 1] = (byte) v;
  }

  private static void putInt(byte[] b, int i, int v) {
    putShort(b, i, v >>> 16);
    putShort(b, i + 2, v);
  }
}
