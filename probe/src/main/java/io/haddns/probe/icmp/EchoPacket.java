package io.haddns.probe.icmp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * ICMP echo messages: RFC 792 (IPv4) and RFC 4443 section 4 (IPv6), checksum per RFC 1071. The
 * payload is an 8-byte random cookie followed by an 8-byte marker, so a reply is matched to exactly
 * one request even when identifiers and sequences of other pingers collide.
 */
final class EchoPacket {
  static final int HEADER = 8;
  static final int PAYLOAD = 16;
  private static final byte[] MARKER = "haddns01".getBytes(StandardCharsets.US_ASCII);

  private static final int V4_ECHO_REPLY = 0;
  private static final int V4_DEST_UNREACHABLE = 3;
  private static final int V4_ECHO_REQUEST = 8;
  private static final int V6_DEST_UNREACHABLE = 1;
  private static final int V6_ECHO_REQUEST = 128;
  private static final int V6_ECHO_REPLY = 129;
  private static final int IPV6_HEADER = 40;

  /** What a received datagram means to us. */
  sealed interface Incoming {
    record Reply(int identifier, int sequence, long cookie) implements Incoming {}

    /** A router or the host reports our echo request (found inside the error) undeliverable. */
    record Unreachable(int identifier, int sequence, byte[] destination, int code)
        implements Incoming {}
  }

  private EchoPacket() {}

  /**
   * An echo request. The checksum is filled in for IPv4 (a raw socket sends it as is); for ICMPv6
   * the kernel computes it over the pseudo-header (RFC 4443 section 2.3), and ping sockets
   * recompute both.
   */
  static byte[] request(boolean v6, int identifier, int sequence, long cookie) {
    ByteBuffer b = ByteBuffer.allocate(HEADER + PAYLOAD);
    b.put((byte) (v6 ? V6_ECHO_REQUEST : V4_ECHO_REQUEST)).put((byte) 0).putShort((short) 0);
    b.putShort((short) identifier).putShort((short) sequence).putLong(cookie).put(MARKER);
    byte[] packet = b.array();
    if (!v6) {
      int sum = checksum(packet, 0, packet.length);
      packet[2] = (byte) (sum >>> 8);
      packet[3] = (byte) sum;
    }
    return packet;
  }

  /** RFC 1071 Internet checksum: one's complement of the one's complement sum of 16-bit words. */
  static int checksum(byte[] data, int offset, int length) {
    long sum = 0;
    int i = offset;
    for (; i + 1 < offset + length; i += 2) {
      sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
    }
    if (i < offset + length) {
      sum += (data[i] & 0xff) << 8;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  /**
   * Interprets a datagram from an ICMP socket. {@code ipv4Header} is true for IPv4 raw sockets,
   * which deliver the IP header too; ping sockets and ICMPv6 raw sockets deliver only the message.
   */
  static Optional<Incoming> parse(boolean v6, boolean ipv4Header, byte[] buf, int length) {
    int off = 0;
    if (ipv4Header) {
      if (length < 20 || (buf[0] & 0xf0) != 0x40) {
        return Optional.empty();
      }
      off = (buf[0] & 0x0f) * 4;
    }
    if (length - off < HEADER) {
      return Optional.empty();
    }
    int type = buf[off] & 0xff;
    if (type == (v6 ? V6_ECHO_REPLY : V4_ECHO_REPLY)) {
      return reply(buf, off, length);
    }
    if (type == (v6 ? V6_DEST_UNREACHABLE : V4_DEST_UNREACHABLE)) {
      return v6 ? unreachableV6(buf, off, length) : unreachableV4(buf, off, length);
    }
    return Optional.empty();
  }

  private static Optional<Incoming> reply(byte[] buf, int off, int length) {
    if (length - off < HEADER + PAYLOAD
        || !Arrays.equals(buf, off + 16, off + 24, MARKER, 0, MARKER.length)) {
      return Optional.empty();
    }
    ByteBuffer b = ByteBuffer.wrap(buf, off, length - off);
    return Optional.of(
        new Incoming.Reply(
            b.getShort(off + 4) & 0xffff, b.getShort(off + 6) & 0xffff, b.getLong(off + 8)));
  }

  // RFC 792: the error carries the original IP header and at least 8 bytes of its data.
  private static Optional<Incoming> unreachableV4(byte[] buf, int off, int length) {
    int inner = off + HEADER;
    if (length - inner < 20 || (buf[inner] & 0xf0) != 0x40 || buf[inner + 9] != 1) {
      return Optional.empty();
    }
    byte[] destination = Arrays.copyOfRange(buf, inner + 16, inner + 20);
    return innerEcho(
        buf,
        inner + (buf[inner] & 0x0f) * 4,
        length,
        V4_ECHO_REQUEST,
        destination,
        buf[off + 1] & 0xff);
  }

  // RFC 4443 section 3.1: as much of the invoking packet as fits; we need its header and echo.
  private static Optional<Incoming> unreachableV6(byte[] buf, int off, int length) {
    int inner = off + HEADER;
    if (length - inner < IPV6_HEADER || (buf[inner] & 0xf0) != 0x60 || buf[inner + 6] != 58) {
      return Optional.empty();
    }
    byte[] destination = Arrays.copyOfRange(buf, inner + 24, inner + 40);
    return innerEcho(
        buf, inner + IPV6_HEADER, length, V6_ECHO_REQUEST, destination, buf[off + 1] & 0xff);
  }

  private static Optional<Incoming> innerEcho(
      byte[] buf, int echo, int length, int requestType, byte[] destination, int code) {
    if (length - echo < HEADER || (buf[echo] & 0xff) != requestType) {
      return Optional.empty();
    }
    int identifier = ((buf[echo + 4] & 0xff) << 8) | (buf[echo + 5] & 0xff);
    int sequence = ((buf[echo + 6] & 0xff) << 8) | (buf[echo + 7] & 0xff);
    return Optional.of(new Incoming.Unreachable(identifier, sequence, destination, code));
  }
}
