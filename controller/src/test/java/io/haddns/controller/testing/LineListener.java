package io.haddns.controller.testing;

import io.haddns.controller.demo.SimulatedLine;
import java.io.IOException;
import java.net.InetAddress;

/**
 * A line's far end for tests: the demo's {@link SimulatedLine} (a TCP service that is up while open
 * and refuses connections once down), with the names the tests read best.
 */
public final class LineListener implements AutoCloseable {
  private final SimulatedLine line;

  public LineListener(InetAddress address, int port) {
    this.line = new SimulatedLine(address.getHostAddress(), address, port);
  }

  public LineListener open() throws IOException {
    line.restore();
    return this;
  }

  /** Stops listening: probes now get connection refused. */
  public void down() throws IOException {
    line.fail();
  }

  public InetAddress address() {
    return line.address();
  }

  public int port() {
    return line.port();
  }

  @Override
  public void close() throws IOException {
    line.close();
  }

  /** A port free on all the addresses right now. */
  public static int freePort(InetAddress... addresses) throws IOException {
    return SimulatedLine.freePort(addresses);
  }
}
