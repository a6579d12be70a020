package io.haddns.controller.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop HTTP/1.1 load generator: {@code connections} keep-alive TCP connections, each on
 * its own thread with one request outstanding, POSTing the bodies {@link Bodies} hands out. It is
 * deliberately minimal (a pre-built request, a blocking socket, a hand-rolled response reader) so
 * that it takes as little of the shared CPU as possible. Every request completed inside the
 * measurement window (after the warm-up) counts; its latency, from writing the request to reading
 * the last body byte, is kept exactly (no histogram buckets).
 */
final class ClosedLoopLoad {

  /** Hands out request bodies; called on connection {@code c}'s own thread only. */
  @FunctionalInterface
  interface Bodies {
    byte[] next(int connection);
  }

  /** What one run measured. */
  record Result(
      int connections,
      double seconds,
      long ok,
      long failed,
      long total,
      long[] sortedLatencyNanos,
      String firstFailure) {

    double perSecond() {
      return ok / seconds;
    }

    /** Nearest-rank percentile of the successful requests' latencies, in nanoseconds. */
    long percentileNanos(double p) {
      if (sortedLatencyNanos.length == 0) {
        return 0;
      }
      int rank = (int) Math.ceil(p / 100.0 * sortedLatencyNanos.length);
      return sortedLatencyNanos[Math.max(0, rank - 1)];
    }

    long maxNanos() {
      return sortedLatencyNanos.length == 0 ? 0 : sortedLatencyNanos[sortedLatencyNanos.length - 1];
    }

    static String ms(long nanos) {
      return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }
  }

  private ClosedLoopLoad() {}

  static Result run(
      InetSocketAddress target,
      String path,
      int connections,
      Duration warmUp,
      Duration window,
      Bodies bodies)
      throws InterruptedException {
    long start = System.nanoTime();
    long windowStart = start + warmUp.toNanos();
    long windowEnd = windowStart + window.toNanos();
    Worker[] workers = new Worker[connections];
    List<Thread> threads = new ArrayList<>();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    for (int c = 0; c < connections; c++) {
      Worker w = new Worker(c, target, path, bodies, windowStart, windowEnd, firstFailure);
      workers[c] = w;
      threads.add(Thread.ofPlatform().name("bench-load-" + c).start(w));
    }
    for (Thread t : threads) {
      t.join();
    }
    long ok = 0;
    long failed = 0;
    long total = 0;
    int n = 0;
    for (Worker w : workers) {
      total += w.total;
      ok += w.ok;
      failed += w.failed;
      n += w.count;
    }
    long[] all = new long[n];
    int at = 0;
    for (Worker w : workers) {
      System.arraycopy(w.latencies, 0, all, at, w.count);
      at += w.count;
    }
    Arrays.sort(all);
    return new Result(
        connections, window.toNanos() / 1e9, ok, failed, total, all, firstFailure.get());
  }

  private static final class Worker implements Runnable {
    private final int connection;
    private final InetSocketAddress target;
    private final String path;
    private final Bodies bodies;
    private final long windowStart;
    private final long windowEnd;
    private final AtomicReference<String> firstFailure;
    long[] latencies = new long[1 << 14];
    int count;
    long ok;
    long failed;
    long total;

    Worker(
        int connection,
        InetSocketAddress target,
        String path,
        Bodies bodies,
        long windowStart,
        long windowEnd,
        AtomicReference<String> firstFailure) {
      this.connection = connection;
      this.target = target;
      this.path = path;
      this.bodies = bodies;
      this.windowStart = windowStart;
      this.windowEnd = windowEnd;
      this.firstFailure = firstFailure;
    }

    @Override
    public void run() {
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: "
              + target.getHostString()
              + ":"
              + target.getPort()
              + "\r\nContent-Type: application/json\r\nContent-Length: ";
      byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
      try (Socket s = new Socket()) {
        s.setTcpNoDelay(true);
        s.connect(target, 5000);
        s.setSoTimeout(30_000);
        OutputStream out = s.getOutputStream();
        InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
        ByteArrayOutputStream req = new ByteArrayOutputStream(1024);
        while (true) {
          byte[] body = bodies.next(connection);
          req.reset();
          req.write(headBytes);
          req.write((body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          req.write(body);
          long t0 = System.nanoTime();
          if (t0 >= windowEnd) {
            return;
          }
          req.writeTo(out);
          out.flush();
          int status = readResponse(in);
          long t1 = System.nanoTime();
          total++;
          if (t0 >= windowStart && t1 < windowEnd) {
            if (status == 200) {
              ok++;
              record(t1 - t0);
            } else {
              failed++;
              firstFailure.compareAndSet(null, "HTTP " + status + " " + lastBody);
            }
          }
        }
      } catch (IOException e) {
        failed++;
        firstFailure.compareAndSet(null, "connection " + connection + ": " + e);
      }
    }

    private void record(long nanos) {
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = nanos;
    }

    private String lastBody = "";

    /** Reads one response; returns its status code, keeps its body in {@link #lastBody}. */
    private int readResponse(InputStream in) throws IOException {
      String statusLine = line(in);
      int status = Integer.parseInt(statusLine.substring(9, 12));
      int length = 0;
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
          length = Integer.parseInt(h.substring(15).trim());
        }
      }
      byte[] body = in.readNBytes(length);
      if (body.length != length) {
        throw new IOException("connection closed inside a response body");
      }
      if (status != 200) {
        lastBody = new String(body, StandardCharsets.UTF_8);
      }
      return status;
    }

    private final StringBuilder lineBuf = new StringBuilder(128);

    private String line(InputStream in) throws IOException {
      lineBuf.setLength(0);
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("connection closed by the server");
        }
        if (b != '\r') {
          lineBuf.append((char) b);
        }
      }
      return lineBuf.toString();
    }
  }
}
