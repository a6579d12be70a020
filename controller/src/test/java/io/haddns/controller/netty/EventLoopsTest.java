package io.haddns.controller.netty;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.haddns.controller.testing.LogCapture;
import io.haddns.controller.testing.RequiredBinary;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoop;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoop;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

class EventLoopsTest {
  @Test
  void runsOnNativeEpollWhereItLoadsAndNamesItsChannelClasses() throws Exception {
    RequiredBinary.requireCondition(
        Epoll.isAvailable(), "Netty's native epoll transport: " + Epoll.unavailabilityCause());

    try (LogCapture logs = LogCapture.start();
        EventLoops loops = EventLoops.start("epoll-test", 2)) {
      assertRunsOn(loops, EpollEventLoop.class, 2);
      assertThat(loops.transport()).isEqualTo(IoTransport.EPOLL);
      assertThat(loops.transport().serverSocket()).isEqualTo(EpollServerSocketChannel.class);
      assertThat(loops.transport().socket()).isEqualTo(EpollSocketChannel.class);
      assertThat(loops.transport().datagram()).isEqualTo(EpollDatagramChannel.class);
      assertThat(startLine(logs))
          .isEqualTo("event loops transport=epoll workers=2 threads=epoll-test");
    }
  }

  @Test
  void nioPreferenceKeepsTheNodeOnNio() throws Exception {
    try (LogCapture logs = LogCapture.start();
        EventLoops loops = EventLoops.start("nio-test", 3, TransportPreference.NIO)) {
      assertRunsOn(loops, NioEventLoop.class, 3);
      assertThat(loops.transport()).isEqualTo(IoTransport.NIO);
      assertThat(loops.transport().serverSocket()).isEqualTo(NioServerSocketChannel.class);
      assertThat(loops.transport().socket()).isEqualTo(NioSocketChannel.class);
      assertThat(loops.transport().datagram()).isEqualTo(NioDatagramChannel.class);
      assertThat(startLine(logs)).isEqualTo("event loops transport=nio workers=3 threads=nio-test");
    }
  }

  private static void assertRunsOn(
      EventLoops loops, Class<? extends EventLoop> loopClass, int workers) {
    assertThat(loops.workers().next()).isInstanceOf(loopClass);
    assertThat(loops.boss().next()).isInstanceOf(loopClass);
    assertThat(loops.workerCount()).isEqualTo(workers);
  }

  /** The one line the event loops logged as they started. */
  private static String startLine(LogCapture logs) {
    return logs.from(EventLoops.class.getName()).stream()
        .map(ILoggingEvent::getFormattedMessage)
        .reduce((a, b) -> a + "\n" + b)
        .orElse("");
  }
}
