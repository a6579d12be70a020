package io.haddns.controller.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListenerIT {
  private static final String HOST = "127.0.0.1";
  private final EventLoops loops = EventLoops.start("listener-it", 2);

  @AfterEach
  void stop() {
    loops.close();
  }

  @Test
  void closingOneServerClosesItsConnectionsWhileAnotherOnTheSameLoopsKeepsServing()
      throws Exception {
    Listener first = Listener.tcp(loops, "first", HOST, 0, echo(), b -> b);
    try (Listener second = Listener.tcp(loops, "second", HOST, 0, echo(), b -> b);
        Socket toFirst = connect(first.address());
        Socket toSecond = connect(second.address())) {
      assertThat(roundTrip(toFirst, "a")).isEqualTo("a");

      first.close();

      assertThat(toFirst.getInputStream().read()).as("end of stream").isEqualTo(-1);
      assertThat(roundTrip(toSecond, "b")).isEqualTo("b");
      try (Socket again = connect(second.address())) {
        assertThat(roundTrip(again, "c")).isEqualTo("c");
      }
    }
  }

  @Test
  void aTakenPortFailsNamingServerTransportAndAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName(HOST))) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> Listener.tcp(loops, "gateway", HOST, port, echo(), b -> b))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("gateway cannot listen on TCP 127.0.0.1:" + port + ": ");
    }
    try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getByName("::1"))) {
      int port = taken.getLocalPort();

      assertThatThrownBy(
              () ->
                  Listener.udp(
                      loops,
                      "dns server",
                      "::1",
                      port,
                      new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {}
                      },
                      b -> b))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("dns server cannot listen on UDP [::1]:" + port + ": ");
    }
  }

  @Test
  void standaloneLoopsAreClosedWhenTheServerFailsToStart() {
    EventLoops[] made = new EventLoops[1];

    assertThatThrownBy(
            () ->
                EventLoops.standalone(
                    "failing",
                    l -> {
                      made[0] = l;
                      throw new IllegalStateException("cannot listen");
                    }))
        .hasMessage("cannot listen");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> made[0].boss().isTerminated() && made[0].workers().isTerminated());
  }

  private static ChannelInitializer<SocketChannel> echo() {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline()
            .addLast(
                new SimpleChannelInboundHandler<ByteBuf>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                    ctx.writeAndFlush(msg.retain());
                  }
                });
      }
    };
  }

  private static Socket connect(InetSocketAddress address) throws Exception {
    Socket s = new Socket(address.getAddress(), address.getPort());
    s.setSoTimeout(5_000);
    return s;
  }

  private static String roundTrip(Socket s, String text) throws Exception {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    InputStream in = s.getInputStream();
    byte[] got = in.readNBytes(text.length());
    return new String(got, StandardCharsets.US_ASCII);
  }
}
