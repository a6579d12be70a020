package io.haddns.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.agent.report.IpAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class StunCodecTest {
  private static final byte[] ID = HexFormat.of().parseHex("b7e7a701bc34d686fa87dfae");

  @Test
  void bindingRequestIsTheRfcHeader() {
    assertThat(HexFormat.of().formatHex(StunCodec.bindingRequest(ID)))
        .isEqualTo("000100002112a442b7e7a701bc34d686fa87dfae");
  }

  /** RFC 5769 §2.2: the IPv4 sample response (attributes other than XOR-MAPPED-ADDRESS dropped). */
  @Test
  void decodesRfc5769Ipv4Sample() {
    byte[] packet =
        HexFormat.of()
            .parseHex("0101000c2112a442b7e7a701bc34d686fa87dfae" + "002000080001a147e112a643");

    assertThat(StunCodec.parseBindingResponse(packet, packet.length, ID))
        .isEqualTo(IpAddress.parse("192.0.2.1"));
  }

  /** RFC 5769 §2.3: the IPv6 sample (2001:db8:1234:5678:11:2233:4455:6677 port 32853). */
  @Test
  void decodesRfc5769Ipv6Sample() {
    byte[] packet =
        HexFormat.of()
            .parseHex(
                "010100182112a442b7e7a701bc34d686fa87dfae"
                    + "002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9");

    assertThat(StunCodec.parseBindingResponse(packet, packet.length, ID))
        .isEqualTo(IpAddress.parse("2001:db8:1234:5678:11:2233:4455:6677"));
  }

  @Test
  void refusesAResponseToAnotherTransaction() {
    byte[] packet =
        HexFormat.of()
            .parseHex("0101000c2112a442b7e7a701bc34d686fa87dfaf" + "002000080001a147e112a643");

    assertThatThrownBy(() -> StunCodec.parseBindingResponse(packet, packet.length, ID))
        .hasMessageContaining("transaction");
  }

  @Test
  void refusesTruncatedAndLyingLengths() {
    byte[] packet =
        HexFormat.of()
            .parseHex("0101000c2112a442b7e7a701bc34d686fa87dfae" + "002000080001a147e112a643");

    assertThatThrownBy(() -> StunCodec.parseBindingResponse(packet, 28, ID))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StunCodec.parseBindingResponse(packet, 10, ID))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] lying = packet.clone();
    ByteBuffer.wrap(lying).putShort(2, (short) 0x40);
    assertThatThrownBy(() -> StunCodec.parseBindingResponse(lying, lying.length, ID))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAnErrorResponseAndAWrongCookie() {
    byte[] error = HexFormat.of().parseHex("011100002112a442b7e7a701bc34d686fa87dfae");
    byte[] cookie = HexFormat.of().parseHex("010100002112a443b7e7a701bc34d686fa87dfae");

    assertThatThrownBy(() -> StunCodec.parseBindingResponse(error, error.length, ID))
        .hasMessageContaining("Binding success");
    assertThatThrownBy(() -> StunCodec.parseBindingResponse(cookie, cookie.length, ID))
        .hasMessageContaining("cookie");
  }

  @Test
  void fallsBackToMappedAddressOnlyWithoutXorMappedAddress() {
    byte[] packet =
        HexFormat.of()
            .parseHex("0101000c2112a442b7e7a701bc34d686fa87dfae" + "000100080001d431c6336407");

    assertThat(StunCodec.parseBindingResponse(packet, packet.length, ID))
        .isEqualTo(IpAddress.parse("198.51.100.7"));
  }

  /** The RFC 5769 IPv4 sample's XOR-MAPPED-ADDRESS followed by one more attribute. */
  private static byte[] withAttribute(int type) {
    return ByteBuffer.allocate(40)
        .put(HexFormat.of().parseHex("010100142112a442b7e7a701bc34d686fa87dfae"))
        .put(HexFormat.of().parseHex("002000080001a147e112a643"))
        .putShort((short) type)
        .putShort((short) 4)
        .putInt(0xdeadbeef)
        .array();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {0x0000, 0x0010, 0x0025, 0x7fff})
  void anUnknownComprehensionRequiredAttributeFailsTheTransaction(int type) {
    byte[] packet = withAttribute(type);

    assertThatThrownBy(() -> StunCodec.parseBindingResponse(packet, packet.length, ID))
        .isInstanceOf(StunCodec.FailedTransaction.class)
        .hasMessageContaining(
            String.format("unknown comprehension-required attribute 0x%04x", type));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      ints = {0x8000, 0x8022, 0x8028, 0x802b, 0xffff, 0x0004, 0x0005})
  void comprehensionOptionalAndKnownLegacyAttributesAreIgnored(int type) {
    byte[] packet = withAttribute(type);

    assertThat(StunCodec.parseBindingResponse(packet, packet.length, ID))
        .isEqualTo(IpAddress.parse("192.0.2.1"));
  }

  @Test
  void anUnknownRequiredAttributeBeforeTheAddressAlsoFails() {
    byte[] packet =
        HexFormat.of()
            .parseHex(
                "010100142112a442b7e7a701bc34d686fa87dfae"
                    + "00300004deadbeef"
                    + "002000080001a147e112a643");

    assertThatThrownBy(() -> StunCodec.parseBindingResponse(packet, packet.length, ID))
        .isInstanceOf(StunCodec.FailedTransaction.class);
  }
}
