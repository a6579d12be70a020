package io.haddns.controller.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback TCP proxy a test controls, to cut a client off from a server the way a network does.
 *
 * <ul>
 *   <li>{@link #blackhole()}: every open connection and every new one goes silent in both
 *       directions (bytes are read and dropped, nothing is closed) — like a pulled cable; the peers
 *       only notice by their own timeouts.
 *   <li>{@link #silenceReplies()}: every open connection drops what the server sends, while what
 *       the client sends still arrives — a one-way failure: a request is carried out, its answer
 *       lost. New connections are forwarded both ways.
 *   <li>{@link #holdReplies(Duration)}: what the server sends on open connections is held back for
 *       a while and then delivered in order, while what the client sends arrives at once — a slow
 *       return path: requests are carried out on time, their answers arrive late.
 *   <li>{@link #cutAndReset()}: every open connection is closed with a TCP RST.
 *   <li>{@link #restore()}: new connections are forwarded again (silenced ones stay silent: their
 *       byte streams have holes).
 * </ul>
 */
public final class TcpProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);

  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private volatile boolean blackholed;
  private volatile boolean closed;
  private volatile long repliesHeldUntil = System.nanoTime();

  /** Starts listening on 127.0.0.1 on a free port, forwarding to {@code host:port}. */
  public TcpProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread.ofPlatform().daemon().name("tcp-proxy-accept-" + port()).start(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code 127.0.0.1:<port>}, usable as a ZooKeeper connect string. */
  public String address() {
    return "127.0.0.1:" + port();
  }

  public void blackhole() {
    blackholed = true;
    links.forEach(l -> l.silent = true);
    log.info("proxy port={} blackholed connections={}", port(), links.size());
  }

  public void silenceReplies() {
    links.forEach(l -> l.repliesSilent = true);
    log.info("proxy port={} replies silenced connections={}", port(), links.size());
  }

  public void holdReplies(Duration hold) {
    repliesHeldUntil = System.nanoTime() + hold.toNanos();
    log.info("proxy port={} replies held for {} ms", port(), hold.toMillis());
  }

  public void cutAndReset() {
    links.forEach(Link::reset);
    log.info("proxy port={} reset", port());
  }

  public void restore() {
    blackholed = false;
    log.info("proxy port={} restored", port());
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Link link = new Link(client);
        links.add(link);
        if (blackholed) {
          link.silent = true;
          link.pump(client, null);
        } else {
          link.connect();
        }
      } catch (IOException e) {
        if (!closed) {
          log.warn("proxy port={} accept failed: {}", port(), e.getMessage());
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    links.forEach(Link::reset);
  }

  private final class Link {
    private final Socket client;
    private volatile Socket upstream;
    private volatile boolean silent;
    private volatile boolean repliesSilent;

    Link(Socket client) {
      this.client = client;
    }

    void connect() {
      try {
        upstream = new Socket(targetHost, targetPort);
        upstream.setTcpNoDelay(true);
        client.setTcpNoDelay(true);
      } catch (IOException e) {
        reset();
        return;
      }
      pump(client, upstream);
      pump(upstream, client);
    }

    void pump(Socket from, Socket to) {
      Thread.ofPlatform()
          .daemon()
          .name("tcp-proxy-pump-" + port())
          .start(
              () -> {
                byte[] buf = new byte[16 * 1024];
                try {
                  InputStream in = from.getInputStream();
                  OutputStream out = to == null ? null : to.getOutputStream();
                  int n;
                  while ((n = in.read(buf)) >= 0) {
                    if (from == upstream) {
                      awaitRepliesReleased();
                    }
                    boolean dropped = silent || (from == upstream && repliesSilent);
                    if (!dropped && out != null) {
                      out.write(buf, 0, n);
                      out.flush();
                    }
                  }
                } catch (IOException e) {
                  // The other side closed or was reset: tear the link down below.
                  log.debug("proxy port={} link ended: {}", port(), e.getMessage());
                }
                if (silent) {
                  // A cut cable: the far side must not see this end go away.
                  closeSocket(from);
                } else {
                  closeQuietly();
                }
              });
    }

    private void awaitRepliesReleased() {
      long left;
      while ((left = repliesHeldUntil - System.nanoTime()) > 0) {
        LockSupport.parkNanos(left);
      }
    }

    void reset() {
      for (Socket s : new Socket[] {client, upstream}) {
        if (s != null) {
          try {
            s.setSoLinger(true, 0);
          } catch (IOException e) {
            log.debug("proxy port={} linger: {}", port(), e.getMessage());
          }
        }
      }
      closeQuietly();
    }

    private void closeQuietly() {
      links.remove(this);
      closeSocket(client);
      closeSocket(upstream);
    }

    private void closeSocket(Socket s) {
      if (s != null) {
        try {
          s.close();
        } catch (IOException e) {
          log.debug("proxy port={} close: {}", port(), e.getMessage());
        }
      }
    }
  }
}
