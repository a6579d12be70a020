package io.haddns.controller.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.test.TestingServer;

/**
 * A ZooKeeper server's {@code srvr} counters: requests received and the last zxid (each write
 * transaction, failed ones included, takes one zxid).
 */
record ZkCounters(long received, long zxid) {
  private static final Pattern RECEIVED = Pattern.compile("Received: (\\d+)");
  private static final Pattern ZXID = Pattern.compile("Zxid: 0x([0-9a-f]+)");

  static ZkCounters read(TestingServer zk) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", zk.getPort()), 2000);
      s.setSoTimeout(5000);
      s.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String out = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      Matcher r = RECEIVED.matcher(out);
      Matcher z = ZXID.matcher(out);
      if (!r.find() || !z.find()) {
        throw new IOException("unexpected srvr answer: " + out);
      }
      // The low 32 bits count transactions within the epoch (one server: one epoch).
      return new ZkCounters(
          Long.parseLong(r.group(1)), Long.parseLong(z.group(1), 16) & 0xffffffffL);
    }
  }
}
