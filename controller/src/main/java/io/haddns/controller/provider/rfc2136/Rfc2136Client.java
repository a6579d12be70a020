package io.haddns.controller.provider.rfc2136;

import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.TransientProviderException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * Sends TSIG-signed messages for one zone to one server over TCP and classifies what comes back.
 *
 * <p>Messages go through dnsjava's {@link SimpleResolver} in TCP mode, whose NIO client keeps one
 * connection per (source, server) pair open between messages and reopens it when the server closes
 * it. AXFR uses its own connection ({@link ZoneTransferIn}). Not thread-safe; the resolver is
 * created on first use so that construction does no I/O.
 *
 * <p>{@link #sendEach} pipelines: several messages are outstanding on the one connection at a time
 * (RFC 7766 §6.2.1.1), answered by message id, so a long batch does not pay a full round trip and a
 * thread wake-up per message.
 */
final class Rfc2136Client {
  /** An AXFR shares one deadline for the whole transfer, so give large zones room. */
  private static final Duration MIN_TRANSFER_TIMEOUT = Duration.ofSeconds(10);

  /** Bytes of UPDATE messages outstanding at once in {@link #sendEach}, beyond the first one. */
  static final int MAX_IN_FLIGHT_BYTES = 32 * 1024;

  /** A checked answer. */
  record Reply(ResponseCheck.Outcome outcome, Message message) {}

  /**
   * Sends one message and returns the server's answer, TSIG-verified when signed. The seam that
   * lets unit tests answer without sockets.
   */
  @FunctionalInterface
  interface Exchange {
    Message exchange(Message query) throws IOException;
  }

  private final String zone;
  private final Name zoneName;
  private final ProviderConfig.Rfc2136 config;
  private final Optional<TSIG> tsig;
  private final Optional<String> keyName;
  private final Optional<InetAddress> localAddress;
  private final ResponseCheck check;
  private Exchange exchange;
  private SimpleResolver resolver;

  /** Handles one checked answer of {@link #sendEach}; throwing stops the remaining messages. */
  @FunctionalInterface
  interface ReplyHandler {
    void handle(int index, Reply reply) throws ProviderException;
  }

  Rfc2136Client(
      String zone,
      Name zoneName,
      ProviderConfig.Rfc2136 config,
      Optional<TSIG> tsig,
      Optional<InetAddress> localAddress,
      Optional<Exchange> exchange) {
    this.zone = zone;
    this.zoneName = zoneName;
    this.config = config;
    this.tsig = tsig;
    this.keyName = config.tsig().map(t -> t.name());
    this.localAddress = localAddress;
    this.check = new ResponseCheck(zone, server(), keyName);
    this.exchange = exchange.orElse(null);
  }

  /** host:port of the server, for messages. */
  String server() {
    return config.host() + ":" + config.port();
  }

  /**
   * Sends one message and checks the answer; {@code what} names the request in errors.
   *
   * @throws TransientProviderException on timeouts, refused or broken connections, SERVFAIL
   * @throws PermanentProviderException on refused keys, unverified answers and refusals
   */
  Reply send(Message message, String what) throws ProviderException {
    Message response;
    try {
      response = exchange().exchange(message);
    } catch (IOException e) {
      throw new TransientProviderException(
          "zone " + zone + ": " + what + " to server " + server() + " failed: " + e, e);
    }
    return new Reply(check.check(response, what), response);
  }

  /**
   * Sends {@code messages} in order with up to {@code window} of them (and at most {@value
   * #MAX_IN_FLIGHT_BYTES} bytes beyond the first) outstanding at once and hands each checked answer
   * to {@code handler} in message order. The first exception (from the handler, a failed exchange
   * or a refused answer) stops sending; messages already sent are still waited for (each within the
   * configured timeout), so that none is left in flight when this returns, and their answers are
   * dropped: the caller treats everything from the failed message on as unknown. With an injected
   * {@link Exchange} (unit tests) messages go one at a time.
   *
   * @throws TransientProviderException as {@link #send}, for the first message that failed
   * @throws PermanentProviderException as {@link #send}
   */
  void sendEach(List<Message> messages, String what, int window, ReplyHandler handler)
      throws ProviderException {
    if (exchange != null || window <= 1) {
      for (int i = 0; i < messages.size(); i++) {
        handler.handle(i, send(messages.get(i), what));
      }
      return;
    }
    SimpleResolver r = resolver();
    Deque<CompletableFuture<Message>> inFlight = new ArrayDeque<>();
    Deque<Integer> inFlightSizes = new ArrayDeque<>();
    int inFlightBytes = 0;
    int next = 0;
    int base = messages.isEmpty() ? 0 : messages.get(0).getHeader().getID();
    try {
      for (int i = 0; i < messages.size(); i++) {
        while (next < messages.size() && inFlight.size() < window) {
          Message m = messages.get(next);
          int size = m.numBytes();
          // Large messages keep the server busy on their own, and each one's timeout runs from
          // when it is queued: only small ones share the connection.
          if (!inFlight.isEmpty() && inFlightBytes + size > MAX_IN_FLIGHT_BYTES) {
            break;
          }
          // Answers are matched by id on the shared connection: ids in one window never repeat.
          m.getHeader().setID((base + next) & 0xFFFF);
          inFlight.add(r.sendAsync(m).toCompletableFuture());
          inFlightSizes.add(size);
          inFlightBytes += size;
          next++;
        }
        inFlightBytes -= inFlightSizes.poll();
        Message response = await(inFlight.poll(), what);
        handler.handle(i, new Reply(check.check(response, what), response));
      }
    } finally {
      for (CompletableFuture<Message> f : inFlight) {
        try {
          f.get(config.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
          // Its outcome is unknown either way; the caller retries from the failed message on.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
  }

  private Message await(CompletableFuture<Message> reply, String what)
      throws TransientProviderException {
    try {
      return reply.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientProviderException(
          "zone " + zone + ": " + what + " to server " + server() + " interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new TransientProviderException(
          "zone " + zone + ": " + what + " to server " + server() + " failed: " + cause, cause);
    }
  }

  /** The whole zone by AXFR (RFC 5936), TSIG-signed and verified when a key is configured. */
  List<Record> transfer() throws ProviderException {
    ZoneTransferIn xfr = ZoneTransferIn.newAXFR(zoneName, address(), tsig.orElse(null));
    xfr.setTimeout(max(config.timeout(), MIN_TRANSFER_TIMEOUT));
    localAddress.ifPresent(a -> xfr.setLocalAddress(new InetSocketAddress(a, 0)));
    try {
      xfr.run();
      return xfr.getAXFR();
    } catch (IOException e) {
      throw new TransientProviderException(
          "zone " + zone + ": AXFR from server " + server() + " failed: " + e, e);
    } catch (ZoneTransferException e) {
      throw classifyTransferFailure(e);
    }
  }

  private ProviderException classifyTransferFailure(ZoneTransferException e) {
    String reason = String.valueOf(e.getMessage());
    String key = keyName.map(k -> "TSIG key '" + k + "'").orElse("no TSIG key");
    if (reason.equals("SERVFAIL")) {
      return new TransientProviderException(
          "zone " + zone + ": server " + server() + " answered AXFR with SERVFAIL", e);
    }
    if (reason.startsWith("TSIG failure")) {
      return new PermanentProviderException(
          "zone "
              + zone
              + ": the AXFR answer of server "
              + server()
              + " was not signed/verified with "
              + key
              + ": "
              + reason,
          e);
    }
    return new PermanentProviderException(
        "zone " + zone + ": server " + server() + " refused AXFR (" + key + "): " + reason, e);
  }

  private Exchange exchange() throws TransientProviderException {
    return exchange != null ? exchange : resolver()::send;
  }

  private SimpleResolver resolver() throws TransientProviderException {
    if (resolver == null) {
      SimpleResolver r = new SimpleResolver(address());
      r.setTCP(true);
      r.setTimeout(config.timeout());
      tsig.ifPresent(r::setTSIGKey);
      localAddress.ifPresent(r::setLocalAddress);
      resolver = r;
    }
    return resolver;
  }

  private InetSocketAddress address() throws TransientProviderException {
    try {
      return new InetSocketAddress(InetAddress.getByName(config.host()), config.port());
    } catch (UnknownHostException e) {
      throw new TransientProviderException(
          "zone " + zone + ": cannot resolve server host '" + config.host() + "': " + e, e);
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
