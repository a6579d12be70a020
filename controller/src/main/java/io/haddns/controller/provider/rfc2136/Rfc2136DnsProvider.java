package io.haddns.controller.provider.rfc2136;

import io.haddns.controller.config.ProviderConfig;
import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.plan.Change;
import io.haddns.controller.provider.DnsProvider;
import io.haddns.controller.provider.FencedException;
import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.ProviderLifecycle;
import io.haddns.controller.provider.TransientProviderException;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Writes a zone to an RFC 2136 server (BIND, Knot, PowerDNS, Windows DNS) over TCP, signing every
 * message with the configured TSIG key (RFC 8945) and verifying the answers.
 *
 * <p>Fencing (docs/architecture.md, "Fencing"): the zone holds {@code _haddns-fence.<zone> TXT
 * "epoch=N"}. {@link #claim(long)} swaps it by compare-and-set, and every UPDATE sent by {@link
 * #apply} carries the prerequisite that it still holds the writer's epoch, so a stale leader's
 * write is rejected by the server itself (NXRRSET) and surfaces as {@link FencedException}.
 *
 * <p>Changes go out in UPDATE messages of at most {@code batchSize} RRsets; each message is atomic
 * at the server, a batch of several messages is not: when a later message fails, the earlier ones
 * stay applied, and the error says how many (the reconciler then reads the zone back). Up to
 * {@value #PIPELINE_WINDOW} messages are outstanding on the connection at once; the first refused
 * or failed one stops the rest (those already sent are waited for, and counted as unknown). Nothing
 * is retried here: errors are classified as transient or permanent for the caller's retry policy;
 * every UPDATE replaces whole RRsets, so a retry of the whole batch is safe.
 *
 * <p>Threading: one caller at a time (see {@link DnsProvider}). Every call blocks for at most about
 * the configured timeout per message. The constructor does no I/O.
 */
public final class Rfc2136DnsProvider implements DnsProvider {
  private static final Logger log = LoggerFactory.getLogger(Rfc2136DnsProvider.class);
  private static final int MAX_CLAIM_ATTEMPTS = 5;

  /**
   * UPDATE messages outstanding at once on the connection. The messages of one apply touch disjoint
   * names and each carries the fence prerequisite, so their order at the server does not matter;
   * keeping a few in flight hides the round trip and the wake-up per message (docs/benchmarks.md,
   * "Mass re-point").
   */
  static final int PIPELINE_WINDOW = 4;

  private final String zone;
  private final Fence fence;
  private final UpdateMessages messages;
  private final ZoneListing listing;
  private final Rfc2136Client client;
  private final ProviderLifecycle lifecycle;

  /**
   * @param localAddress source address of outgoing connections, empty for the system's choice
   * @param clock the time TSIG signatures carry
   * @throws IllegalArgumentException naming the zone for a bad zone name, port, batch size,
   *     timeout, TSIG algorithm, key name or an empty secret
   */
  public Rfc2136DnsProvider(
      String zone,
      ProviderConfig.Rfc2136 config,
      Optional<InetAddress> localAddress,
      InstantSource clock) {
    this(zone, config, localAddress, clock, Optional.empty());
  }

  /** With {@code exchange} answering instead of the server; for tests. */
  Rfc2136DnsProvider(
      String zone,
      ProviderConfig.Rfc2136 config,
      Optional<InetAddress> localAddress,
      InstantSource clock,
      Optional<Rfc2136Client.Exchange> exchange) {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(localAddress, "localAddress");
    Objects.requireNonNull(clock, "clock");
    this.zone = DnsNames.canonical(zone);
    this.lifecycle = new ProviderLifecycle("", this.zone);
    Name zoneName = zoneName(this.zone);
    validate(this.zone, config);
    this.fence = new Fence(this.zone, zoneName);
    this.messages = new UpdateMessages(zoneName, fence, config.batchSize());
    this.listing = new ZoneListing(fence);
    this.client =
        new Rfc2136Client(
            this.zone,
            zoneName,
            config,
            config.tsig().map(t -> TsigSigner.create(this.zone, t, clock)),
            localAddress,
            exchange);
  }

  @Override
  public String zone() {
    return zone;
  }

  @Override
  public boolean fencesWrites() {
    return true;
  }

  /** RFC 2136 servers keep no comments: ownership rests on the applied state in ZooKeeper. */
  @Override
  public Set<RecordKey> ownedKeys() {
    return Set.of();
  }

  @Override
  public int maxChangesPerCall() {
    return messages.batchSize();
  }

  @Override
  public void claim(long epoch) throws ProviderException {
    lifecycle.requireUsable(epoch);
    // After a takeover the fence almost always holds the term before: claim it from that at once,
    // a round trip sooner than after reading it. The prerequisite is the same as after a read, so
    // nothing but exactly that value is replaced; any other value is read and claimed as below.
    if (epoch > 1) {
      Rfc2136Client.Reply reply =
          client.send(messages.claimReplacing(epoch - 1, epoch), "fence claim UPDATE");
      if (reply.outcome() == ResponseCheck.Outcome.OK) {
        log.info("zone={} fence claimed epoch={} previous={}", zone, epoch, epoch - 1);
        return;
      }
    }
    for (int attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
      Optional<Long> current = readFence();
      if (current.isPresent() && current.get() == epoch) {
        log.debug("zone={} fence already holds epoch={}", zone, epoch);
        return;
      }
      if (current.isPresent() && current.get() > epoch) {
        throw new FencedException(
            "zone "
                + zone
                + ": fence holds epoch="
                + current.get()
                + ", epoch "
                + epoch
                + " is stale");
      }
      Update update =
          current.isPresent()
              ? messages.claimReplacing(current.get(), epoch)
              : messages.claimAbsent(epoch);
      Rfc2136Client.Reply reply = client.send(update, "fence claim UPDATE");
      if (reply.outcome() == ResponseCheck.Outcome.OK) {
        log.info(
            "zone={} fence claimed epoch={} previous={}",
            zone,
            epoch,
            current.map(String::valueOf).orElse("none"));
        return;
      }
      log.info("zone={} fence changed during claim of epoch={} attempt={}", zone, epoch, attempt);
    }
    throw new TransientProviderException(
        "zone "
            + zone
            + ": fence kept changing while claiming epoch "
            + epoch
            + " ("
            + MAX_CLAIM_ATTEMPTS
            + " attempts)");
  }

  /**
   * Reads the fence (a signed query over the connection writes use) and builds, without sending,
   * the UPDATE that would claim it next: what a claim runs, short of the write.
   */
  @Override
  public void prepare() throws ProviderException {
    long current = readFence().orElse(0L);
    messages.claimReplacing(current, current + 1).toWire();
  }

  /** The epoch the zone's fence holds now, empty when the zone is unfenced; for diagnostics. */
  public Optional<Long> readFence() throws ProviderException {
    lifecycle.requireOpen();
    Message query = Message.newQuery(Record.newRecord(fence.name(), Type.TXT, DClass.IN));
    Rfc2136Client.Reply reply = client.send(query, "fence query");
    return switch (reply.outcome()) {
      case OK -> fence.parse(reply.message().getSection(Section.ANSWER));
      case NO_SUCH_NAME -> Optional.empty();
      case PREREQUISITE_FAILED ->
          throw new PermanentProviderException(
              "zone "
                  + zone
                  + ": server "
                  + client.server()
                  + " answered the fence query with "
                  + Rcode.string(reply.message().getRcode()));
    };
  }

  @Override
  public List<RecordSet> list() throws ProviderException {
    lifecycle.requireOpen();
    return listing.recordSets(client.transfer());
  }

  @Override
  public void apply(List<Change> changes, long epoch) throws ProviderException {
    lifecycle.requireUsable(epoch);
    if (changes.isEmpty()) {
      return;
    }
    lifecycle.requireInZone(changes);
    List<UpdateMessages.Batch> batches = messages.apply(changes, epoch);
    int[] sent = {0};
    try {
      client.sendEach(
          batches.stream().<Message>map(UpdateMessages.Batch::message).toList(),
          "UPDATE",
          PIPELINE_WINDOW,
          (i, reply) -> {
            switch (reply.outcome()) {
              case OK -> sent[0]++;
              case PREREQUISITE_FAILED ->
                  throw new FencedException(
                      "zone "
                          + zone
                          + ": the fence no longer holds epoch="
                          + epoch
                          + ", a newer leader has claimed the zone (UPDATE answered "
                          + Rcode.string(reply.message().getRcode())
                          + progress(sent[0], batches.size())
                          + ")");
              case NO_SUCH_NAME ->
                  throw new PermanentProviderException(
                      "zone "
                          + zone
                          + ": server "
                          + client.server()
                          + " answered UPDATE with NXDOMAIN"
                          + progress(sent[0], batches.size()));
            }
          });
    } catch (FencedException e) {
      throw e;
    } catch (TransientProviderException e) {
      throw sent[0] == 0
          ? e
          : new TransientProviderException(
              e.getMessage() + progress(sent[0], batches.size()), e, e.retryAfter());
    } catch (PermanentProviderException e) {
      throw sent[0] == 0 || e.getMessage().endsWith(progress(sent[0], batches.size()))
          ? e
          : new PermanentProviderException(e.getMessage() + progress(sent[0], batches.size()), e);
    }
    log.info(
        "zone={} applied creates={} updates={} deletes={} messages={} epoch={}",
        zone,
        count(changes, Change.Create.class),
        count(changes, Change.Update.class),
        count(changes, Change.Delete.class),
        sent[0],
        epoch);
  }

  private static String progress(int sent, int messages) {
    return " after " + sent + " of " + messages + " messages were applied";
  }

  /** Releases nothing but marks the provider closed; the shared TCP connection idles out. */
  @Override
  public void close() {
    lifecycle.close();
  }

  private static long count(List<Change> changes, Class<? extends Change> kind) {
    return changes.stream().filter(kind::isInstance).count();
  }

  private static Name zoneName(String zone) {
    if (zone.isEmpty()) {
      throw new IllegalArgumentException("zone name is empty");
    }
    try {
      return Name.fromString(zone + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("zone " + zone + ": not a DNS name", e);
    }
  }

  private static void validate(String zone, ProviderConfig.Rfc2136 config) {
    if (config.host().isBlank()) {
      throw new IllegalArgumentException("zone " + zone + ": rfc2136 host is empty");
    }
    if (config.port() < 1 || config.port() > 65535) {
      throw new IllegalArgumentException(
          "zone " + zone + ": rfc2136 port out of range: " + config.port());
    }
    if (config.batchSize() < 1) {
      throw new IllegalArgumentException(
          "zone " + zone + ": rfc2136 batchSize must be at least 1: " + config.batchSize());
    }
    if (config.timeout().isNegative() || config.timeout().isZero()) {
      throw new IllegalArgumentException(
          "zone " + zone + ": rfc2136 timeout must be positive: " + config.timeout());
    }
  }
}
