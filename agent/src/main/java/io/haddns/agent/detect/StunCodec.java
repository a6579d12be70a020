package io.haddns.agent.detect;

import io.haddns.agent.report.IpAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * STUN Binding (RFC 8489, formerly RFC 5389): the 20-byte request, and strict parsing of a success
 * response's XOR-MAPPED-ADDRESS (§14.2), falling back to MAPPED-ADDRESS (§14.1) only when the
 * former is absent. A success response carrying a comprehension-required attribute (0x0000–0x7FFF)
 * that is not in {@link #KNOWN_REQUIRED} fails the transaction (RFC 8489 §6.3.3, RFC 5389 §7.3.3).
 */
final class StunCodec {
  /**
   * The comprehension-required attributes this client knows: those RFC 8489 §14 defines (only
   * MAPPED-ADDRESS and XOR-MAPPED-ADDRESS are used; the others concern authentication, which a
   * Binding without credentials does not ask for) and the RFC 3489 ones that classic servers still
   * send (RESPONSE-ADDRESS, CHANGE-REQUEST, SOURCE-ADDRESS, CHANGED-ADDRESS, PASSWORD,
   * REFLECTED-FROM; addresses of the server side, safe to ignore).
   */
  static final Set<Integer> KNOWN_REQUIRED =
      Set.of(
          0x0001, 0x0006, 0x0008, 0x0009, 0x000A, 0x0014, 0x0015, 0x001C, 0x001D, 0x001E, 0x0020,
          0x0002, 0x0003, 0x0004, 0x0005, 0x0007, 0x000B);

  /**
   * A response to this client's transaction that fails it (an error response, an unknown
   * comprehension-required attribute): retransmitting will not help.
   */
  static final class FailedTransaction extends IllegalArgumentException {
    FailedTransaction(String message) {
      super(message);
    }
  }

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
      throw new FailedTransaction(String.format("not a Binding success (type 0x%04x)", type));
    }
    if (bodyLength % 4 != 0 || HEADER + bodyLength != length) {
      throw new IllegalArgumentException("message length does not match the datagram");
    }
    Optional<IpAddress> xorMapped = Optional.empty();
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
      if (attrType < 0x8000 && !KNOWN_REQUIRED.contains(attrType)) {
        throw new FailedTransaction(
            String.format("unknown comprehension-required attribute 0x%04x", attrType));
      }
      if (attrType == ATTR_XOR_MAPPED_ADDRESS && xorMapped.isEmpty()) {
        xorMapped = Optional.of(address(value, true, transactionId));
      }
      if (attrType == ATTR_MAPPED_ADDRESS && mapped.isEmpty()) {
        mapped = Optional.of(address(value, false, transactionId));
      }
    }
    if (xorMapped.isPresent()) {
      return xorMapped.get();
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
