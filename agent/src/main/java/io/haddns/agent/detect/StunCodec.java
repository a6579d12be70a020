package io.haddns.agent.detect;

import io.haddns.agent.report.IpAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * STUN Binding (RFC 8489, formerly RFC 5389): the 20-byte request, and strict parsing of a success
 * response's XOR-MAPPED-ADDRESS (§14.2), falling back to MAPPED-ADDRESS (§14.1) only when the
 * former is absent.
 */
final class StunCodec {
  static final int MAGIC_COOKIE = 0x2112A442;
  static final int BINDING_REQUEST = 0x0001;
  static final int BINDING_SUCCESS = 0x0101;
  static final int ATTR_MAPPED_ADDRESS = 0x0001;
  static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
  static final int HEADER = 20;

  private StunCodec() {}

  /** A Binding request with no attributes (RFC 8489 §6). */
  static byte[] bindingRequest(byte[] transactionId) {
    requireTransactionId(transactionId);
    return ByteBuffer.allocate(HEADER)
        .putShort((short) BINDING_REQUEST)
        .putShort((short) 0)
        .putInt(MAGIC_COOKIE)
        .put(transactionId)
        .array();
  }

  /**
   * The mapped address of a Binding success response to {@code transactionId}.
   *
   * @throws IllegalArgumentException if the packet is not such a response
   */
  static IpAddress parseBindingResponse(byte[] packet, int length, byte[] transactionId) {
    requireTransactionId(transactionId);
    if (length < HEADER) {
      throw new IllegalArgumentException("shorter than a STUN header");
    }
    ByteBuffer in = ByteBuffer.wrap(packet, 0, length);
    int type = in.getShort() & 0xffff;
    int bodyLength = in.getShort() & 0xffff;
    if ((type & 0xc000) != 0) {
      throw new IllegalArgumentException("not a STUN message (top bits set)");
    }
    if (in.getInt() != MAGIC_COOKIE) {
      throw new IllegalArgumentException("wrong magic cookie");
    }
    byte[] id = new byte[12];
    in.get(id);
    if (!Arrays.equals(id, transactionId)) {
      throw new IllegalArgumentException("transaction id does not match the request");
    }
    if (type != BINDING_SUCCESS) {
      throw new IllegalArgumentException(
          String.format("not a Binding success (type 0x%04x)", type));
    }
    if (bodyLength % 4 != 0 || HEADER + bodyLength != length) {
      throw new IllegalArgumentException("message length does not match the datagram");
    }
    Optional<IpAddress> mapped = Optional.empty();
    while (in.remaining() >= 4) {
      int attrType = in.getShort() & 0xffff;
      int attrLength = in.getShort() & 0xffff;
      int padded = (attrLength + 3) & ~3;
      if (padded > in.remaining()) {
        throw new IllegalArgumentException("attribute runs past the message");
      }
      byte[] value = new byte[attrLength];
      in.get(value);
      in.position(in.position() + padded - attrLength);
      if (attrType == ATTR_XOR_MAPPED_ADDRESS) {
        return address(value, true, transactionId);
      }
      if (attrType == ATTR_MAPPED_ADDRESS && mapped.isEmpty()) {
        mapped = Optional.of(address(value, false, transactionId));
      }
    }
    return mapped.orElseThrow(() -> new IllegalArgumentException("no (XOR-)MAPPED-ADDRESS"));
  }

  private static IpAddress address(byte[] value, boolean xor, byte[] transactionId) {
    if (value.length < 4) {
      throw new IllegalArgumentException("address attribute too short");
    }
    int family = value[1] & 0xff;
    int size =
        switch (family) {
          case 0x01 -> 4;
          case 0x02 -> 16;
          default -> throw new IllegalArgumentException("unknown address family " + family);
        };
    if (value.length != 4 + size) {
      throw new IllegalArgumentException("address attribute has the wrong length");
    }
    byte[] address = Arrays.copyOfRange(value, 4, 4 + size);
    if (xor) {
      byte[] key = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transactionId).array();
      for (int i = 0; i < size; i++) {
        address[i] ^= key[i];
      }
    }
    return IpAddress.ofBytes(address);
  }

  private static void requireTransactionId(byte[] transactionId) {
    if (transactionId.length != 12) {
      throw new IllegalArgumentException("a transaction id has 12 bytes");
    }
  }
}
