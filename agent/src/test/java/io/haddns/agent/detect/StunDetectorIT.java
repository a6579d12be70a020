package io.haddns.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.agent.report.AddressFamily;
import io.haddns.agent.report.IpAddress;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A STUN responder on loopback speaking RFC 8489's wire format. */
class StunDetectorIT {
  private DatagramSocket responder;
  private Thread thread;

  /** Answers each Binding request with XOR-MAPPED-ADDRESS = the sender (after one junk packet). */
  private String startResponder() throws Exception {
    responder = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
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
                  byte[] key = ByteBuffer.allocate(4).putInt(StunCodec.MAGIC_COOKIE).array();
                  for (int i = 0; i < 4; i++) {
                    addr[i] ^= key[i];
                  }
                  ByteBuffer out = ByteBuffer.allocate(32);
                  out.putShort((short) 0x0101)
                      .putShort((short) 12)
                      .putInt(StunCodec.MAGIC_COOKIE)
                      .put(id);
                  out.putShort((short) 0x0020).putShort((short) 8).put((byte) 0).put((byte) 1);
                  out.putShort((short) (request.getPort() ^ 0x2112)).put(addr);
                  responder.send(new DatagramPacket(out.array(), 32, request.getSocketAddress()));
                } catch (java.io.IOException e) {
                  return;
                }
              }
            });
    thread.start();
    return "127.0.0.1:" + responder.getLocalPort();
  }

  @AfterEach
  void stop() throws InterruptedException {
    responder.close();
    thread.join(2000);
  }

  @Test
  void learnsTheMappedAddressFromTheLinesSourceAddress() throws Exception {
    String server = startResponder();
    SourceAddresses source = SourceAddresses.of(List.of(InetAddress.getByName("127.0.0.3")));

    Detection d =
        new StunDetector(
                List.of(server),
                source,
                Duration.ofMillis(500),
                2,
                new PublicAddressFilter(true),
                new Random())
            .detect(AddressFamily.IPV4);

    assertThat(((Detection.Found) d).addresses()).containsExactly(IpAddress.parse("127.0.0.3"));
  }

  @Test
  void aLoopbackAnswerIsRefusedWithoutAllowPrivate() throws Exception {
    String server = startResponder();

    Detection d =
        new StunDetector(
                List.of(server),
                SourceAddresses.NONE,
                Duration.ofMillis(500),
                1,
                new PublicAddressFilter(false),
                new Random())
            .detect(AddressFamily.IPV4);

    assertThat(d).isInstanceOf(Detection.Failed.class);
    assertThat(((Detection.Failed) d).reason()).contains("loopback");
  }

  @Test
  void aSilentServerTimesOut() throws Exception {
    String server = startResponder();
    responder.close();

    Detection d =
        new StunDetector(
                List.of(server),
                SourceAddresses.NONE,
                Duration.ofMillis(100),
                2,
                new PublicAddressFilter(true),
                new Random())
            .detect(AddressFamily.IPV4);

    assertThat(d).isInstanceOf(Detection.Failed.class);
  }
}
