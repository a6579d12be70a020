package io.haddns.controller.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * Many lines' TCP services on one thread: one listening socket per loopback address, all on the
 * same port, accepting and closing every connection. Used where one {@code LineListener} (a thread
 * each) per line would be too many.
 */
final class ManyLineListeners implements AutoCloseable {
  private final Selector selector;
  private final Thread acceptor;

  ManyLineListeners(List<InetAddress> addresses, int port) throws IOException {
    selector = Selector.open();
    for (InetAddress a : addresses) {
      ServerSocketChannel ch = ServerSocketChannel.open();
      ch.bind(new InetSocketAddress(a, port), 128);
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_ACCEPT);
    }
    acceptor = Thread.ofPlatform().daemon().name("bench-lines").start(this::acceptLoop);
  }

  private void acceptLoop() {
    try {
      while (selector.isOpen()) {
        selector.select();
        for (SelectionKey key : selector.selectedKeys()) {
          try (SocketChannel c = ((ServerSocketChannel) key.channel()).accept()) {
            // Nothing to say: the prober only needs the handshake to complete.
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException | java.nio.channels.ClosedSelectorException e) {
      // Closed by close(): the benchmark is over.
    }
  }

  @Override
  public void close() throws IOException {
    for (SelectionKey k : selector.keys()) {
      k.channel().close();
    }
    selector.close();
    try {
      acceptor.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
