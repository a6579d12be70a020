package io.haddns.controller.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpProxyIT {
  private ServerSocket echo;
  private TcpProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket();
    echo.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket s = echo.accept();
                  Thread.ofPlatform().daemon().start(() -> echoAll(s));
                } catch (IOException e) {
                  return;
                }
              }
            });
    proxy = new TcpProxy("127.0.0.1", echo.getLocalPort());
  }

  private static void echoAll(Socket s) {
    try (s) {
      s.getInputStream().transferTo(s.getOutputStream());
    } catch (IOException e) {
      // the test closed or reset the connection
    }
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", proxy.port());
    s.setSoTimeout(500);
    return s;
  }

  private static int roundTrip(Socket s) throws IOException {
    s.getOutputStream().write('x');
    s.getOutputStream().flush();
    return s.getInputStream().read();
  }

  @Test
  void forwardsThenGoesSilentWithoutClosingThenForwardsNewConnectionsAgain() throws IOException {
    try (Socket s = connect()) {
      assertThat(roundTrip(s)).isEqualTo('x');
      proxy.blackhole();
      assertThatThrownBy(() -> roundTrip(s)).isInstanceOf(SocketTimeoutException.class);
      try (Socket during = connect()) {
        assertThatThrownBy(() -> roundTrip(during)).isInstanceOf(SocketTimeoutException.class);
      }
      proxy.restore();
      try (Socket after = connect()) {
        assertThat(roundTrip(after)).isEqualTo('x');
      }
      assertThatThrownBy(() -> roundTrip(s)).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void cutAndResetClosesOpenConnections() throws IOException {
    try (Socket s = connect()) {
      assertThat(roundTrip(s)).isEqualTo('x');
      proxy.cutAndReset();
      InputStream in = s.getInputStream();
      assertThatThrownBy(
              () -> {
                if (in.read() < 0) {
                  throw new IOException("closed");
                }
              })
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(SocketTimeoutException.class);
    }
  }
}
