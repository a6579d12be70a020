package io.haddns.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STUN against a real server (coturn, {@link CoturnStunServer}) on 127.0.0.1 and ::1. A responder
 * written here is used only for what no real server can be made to send: junk before the answer and
 * an unknown comprehension-required attribute.
 */
class StunDetectorIT {
  private static final InetAddress V4 = literal("127.0.0.1");
  private static final InetAddress V6 = literal("::1");

  @TempDir Path dir;
  private CoturnStunServer coturn;
  private DatagramSocket responder;
  private Thread thread;

  private static InetAddress literal(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private String coturn(InetAddress listening) throws Exception {
    if (coturn == null) {
      coturn = CoturnStunServer.start(dir);
    }
    return coturn.address(listening);
  }

  private static StunDetector detector(
      String server, SourceBinding source, boolean allowPrivate, int attempts) {
    return new StunDetector(
        List.of(server),
        source,
        Duration.ofMillis(500),
        attempts,
        new PublicAddressFilter(allowPrivate),
        new Random());
  }

  /**
   * Answers each Binding request on ::1 with junk, then a success whose XOR-MAPPED-ADDRESS is the
   * sender followed by attribute {@code extraAttribute} (4 bytes).
   */
  private String startIpv6Responder(int extraAttribute) throws Exception {
    responder = new DatagramSocket(new InetSocketAddress(V6, 0));
    thread =
        new Thread(
            () -> {
              byte[] buf = new byte[1500];
              while (!responder.isClosed()) {
                try {
                  DatagramPacket request = new DatagramPacket(buf, buf.length);
                  responder.receive(request);
                  byte[] id = Arrays.copyOfRange(buf, 8, 20);
                  byte[] junk = new byte[] {1, 2, 3};
                  responder.send(new DatagramPacket(junk, junk.length, request.getSocketAddress()));
                  byte[] addr = request.getAddress().getAddress();
                  byte[] key =
                      ByteBuffer.allocate(16).putInt(StunCodec.MAGIC_COOKIE).put(id).array();
                  for (int i = 0; i < 16; i++) {
                    addr[i] ^= key[i];
                  }
                  ByteBuffer out = ByteBuffer.allocate(20 + 24 + 8);
                  out.putShort((short) 0x0101)
                      .putShort((short) 32)
                      .putInt(StunCodec.MAGIC_COOKIE)
                      .put(id);
                  out.putShort((short) 0x0020).putShort((short) 20).put((byte) 0).put((byte) 2);
                  out.putShort((short) (request.getPort() ^ 0x2112)).put(addr);
                  out.putShort((short) extraAttribute).putShort((short) 4).putInt(0);
                  byte[] packet = out.array();
                  responder.send(
                      new DatagramPacket(packet, packet.length, request.getSocketAddress()));
                } catch (java.io.IOException e) {
                  return;
                }
              }
            });
    thread.start();
    return "[::1]:" + responder.getLocalPort();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (coturn != null) {
      coturn.close();
    }
    if (responder != null) {
      responder.close();
      thread.join(2000);
    }
  }

  @Test
  void learnsTheMappedAddressFromTheLinesSourceAddress() throws Exception {
    SourceAddresses source = SourceAddresses.of(List.of(literal("127.0.0.3")));

    Detection d = detector(coturn(V4), source, true, 2).detect(AddressFamily.IPV4);

    assertThat(((Detection.Found) d).addresses()).containsExactly(IpAddress.parse("127.0.0.3"));
  }

  @Test
  void learnsAnIpv6MappedAddressFromARealServerOnIpv6Loopback() throws Exception {
    SourceAddresses source = SourceAddresses.of(List.of(V6));

    Detection d = detector(coturn(V6), source, true, 2).detect(AddressFamily.IPV6);

    assertThat(((Detection.Found) d).addresses()).containsExactly(IpAddress.parse("::1"));
  }

  @Test
  void anIpv6DetectionOfAnIpv4OnlyServerNameGivesNothing() throws Exception {
    Detection d = detector(coturn(V4), SourceAddresses.NONE, true, 1).detect(AddressFamily.IPV6);

    assertThat(((Detection.Failed) d).reason()).contains("has no ipv6 address");
  }

  @Test
  void aLoopbackAnswerIsRefusedWithoutAllowPrivate() throws Exception {
    Detection d = detector(coturn(V6), SourceAddresses.NONE, false, 1).detect(AddressFamily.IPV6);

    assertThat(d).isInstanceOf(Detection.Failed.class);
    assertThat(((Detection.Failed) d).reason()).contains("not global unicast");
  }

  @Test
  void aStoppedServerTimesOut() throws Exception {
    String server = coturn(V6);
    coturn.close();
    coturn = null;

    Detection d = detector(server, SourceAddresses.NONE, true, 2).detect(AddressFamily.IPV6);

    assertThat(((Detection.Failed) d).reason()).contains("no answer");
  }

  @Test
  void junkBeforeTheAnswerIsIgnoredOverIpv6() throws Exception {
    String server = startIpv6Responder(0x8022);

    Detection d = detector(server, SourceAddresses.NONE, true, 2).detect(AddressFamily.IPV6);

    assertThat(((Detection.Found) d).addresses()).containsExactly(IpAddress.parse("::1"));
  }

  @Test
  void anUnknownComprehensionRequiredAttributeFailsTheServer() throws Exception {
    String server = startIpv6Responder(0x0030);

    Detection d = detector(server, SourceAddresses.NONE, true, 3).detect(AddressFamily.IPV6);

    assertThat(((Detection.Failed) d).reason())
        .contains("unknown comprehension-required attribute 0x0030");
  }
}
