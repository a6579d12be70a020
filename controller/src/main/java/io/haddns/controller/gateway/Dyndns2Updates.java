package io.haddns.controller.gateway;

import io.haddns.controller.config.Dyndns2Config;
import io.haddns.controller.config.PasswordHash;
import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.net.IpLiteral;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.LineAddressStore;
import io.haddns.controller.store.StoreUnavailableException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles the dyndns2 update protocol ({@code /nic/update}, {@code /v3/update}) as DynDNS defined
 * it and routers, ddclient and inadyn speak it: HTTP Basic auth against bcrypt hashes, one return
 * code per host name. An update sets the credential's line to the given addresses (at most one per
 * family; the caller's address when {@code myip} is absent), through the store's compare-and-set
 * with a sequence the store assigns. Return codes: {@code good <ip>}, {@code nochg <ip>}, {@code
 * badauth}, {@code badagent}, {@code notfqdn}, {@code nohost}, {@code numhost}, {@code abuse},
 * {@code dnserr} (a {@code myip} that is malformed or outside the line's address policy), {@code
 * 911} (ZooKeeper unavailable).
 *
 * <p>Failed logins are limited ({@link LoginFailures}), and only failures count, so that knowing a
 * user name is not enough to lock its router out:
 *
 * <ul>
 *   <li>a source (an IPv4 address, an IPv6 /64) that failed too often is answered {@code abuse}
 *       without a password check, so the bcrypt work one source can cause stays bounded;
 *   <li>a user name that failed too often, from anywhere, is answered {@code abuse} without a
 *       password check for the sources that failed recently themselves; a source with no recent
 *       failure still has its password checked, and the right one succeeds. Guessing one user's
 *       password from many sources thus gets one guess per source and window once the user's
 *       failures are used up.
 * </ul>
 *
 * Unknown user names cost a bcrypt check like known ones and count like them.
 *
 * <p>{@link #update} blocks (bcrypt, ZooKeeper): call it from a worker thread. Thread-safe.
 */
final class Dyndns2Updates {
  private static final Logger log = LoggerFactory.getLogger(Dyndns2Updates.class);
  private static final int MAX_HOSTNAMES = 20;
  private static final Pattern LABEL = Pattern.compile("[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?");

  private final GatewayCredentials credentials;
  private final LineAddressStore store;
  private final Consumer<AuditEvent> audit;
  private final Executor auditExecutor;
  private final InstantSource clock;
  private final String nodeId;
  private final LoginFailures failures;
  private final PasswordHash dummy;
  private final AddressUpdates addressUpdates;
  private final AtomicLong passwordChecks = new AtomicLong();

  Dyndns2Updates(
      GatewayCredentials credentials,
      LineAddressStore store,
      Consumer<AuditEvent> audit,
      Executor auditExecutor,
      InstantSource clock,
      String nodeId,
      LoginFailures failures) {
    this.credentials = credentials;
    this.store = store;
    this.audit = audit;
    this.auditExecutor = auditExecutor;
    this.clock = clock;
    this.nodeId = nodeId;
    this.failures = failures;
    this.dummy = PasswordHash.dummy(credentials.highestPasswordCost());
    this.addressUpdates = new AddressUpdates(store, clock, nodeId);
  }

  Dyndns2Answer update(Dyndns2Request request) {
    Optional<String> user = Optional.empty();
    Dyndns2Answer answer;
    Optional<Login> login;
    if (request.userAgent().map(String::isBlank).orElse(true)) {
      answer = Dyndns2Answer.of("badagent");
    } else if ((login = Login.of(request.authorization())).isEmpty()) {
      answer = Dyndns2Answer.of("badauth");
    } else {
      try {
        String source = "source " + RateLimits.sourceKey(request.source());
        String name = "user " + login.get().username();
        if (failures.overLimit(source)
            || (failures.overLimit(name) && failures.failedRecently(source))) {
          answer = Dyndns2Answer.of("abuse");
        } else {
          Optional<Dyndns2Config> credential = authenticate(login.get());
          if (credential.isEmpty()) {
            failures.failed(name, source);
          }
          user = credential.map(Dyndns2Config::username);
          answer = credential.map(c -> authorized(c, request)).orElse(Dyndns2Answer.of("badauth"));
        }
      } finally {
        login.get().erase();
      }
    }
    finish(request, user, answer);
    return answer;
  }

  /**
   * The credential whose password this is. An unknown user name is checked against a dummy hash of
   * the configured cost, so the answer takes as long as for a known one and does not tell which
   * user names exist.
   */
  private Optional<Dyndns2Config> authenticate(Login login) {
    Optional<Dyndns2Config> credential = credentials.dyndns2(login.username());
    passwordChecks.incrementAndGet();
    boolean matches =
        credential.map(Dyndns2Config::passwordHash).orElse(dummy).matches(login.password());
    return matches ? credential : Optional.empty();
  }

  /** Passwords checked (bcrypt runs) so far. */
  long passwordChecks() {
    return passwordChecks.get();
  }

  private Dyndns2Answer authorized(Dyndns2Config credential, Dyndns2Request request) {
    List<String> hostnames =
        request
            .hostname()
            .filter(h -> !h.isBlank())
            .map(h -> List.of(h.split(",", -1)))
            .orElse(List.of());
    if (hostnames.isEmpty()) {
      return Dyndns2Answer.of("notfqdn");
    }
    if (hostnames.size() > MAX_HOSTNAMES) {
      return Dyndns2Answer.of("numhost");
    }
    List<String> codes = new ArrayList<>(hostnames.size());
    boolean anyAllowed = false;
    for (String h : hostnames) {
      String name = DnsNames.canonical(h);
      if (!isFqdn(name)) {
        codes.add("notfqdn");
      } else if (!credential.hostnames().contains(name)) {
        codes.add("nohost");
      } else {
        codes.add(null);
        anyAllowed = true;
      }
    }
    String result = anyAllowed ? apply(credential, request) : null;
    List<String> lines = codes.stream().map(c -> c == null ? result : c).toList();
    String outcome = result == null ? lines.get(0) : result.split(" ", 2)[0];
    return new Dyndns2Answer(200, lines, outcome, false);
  }

  /** Writes the addresses and returns the answer for every allowed host name. */
  private String apply(Dyndns2Config credential, Dyndns2Request request) {
    return addressUpdates
        .set(
            credential.line(),
            credential.username(),
            request.myip(),
            request.source(),
            credentials.addressPolicy(credential))
        .line();
  }

  private static boolean isFqdn(String name) {
    if (name.isEmpty() || name.length() > 253) {
      return false;
    }
    String[] labels = name.split("\\.", -1);
    if (labels.length < 2) {
      return false;
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  private void finish(Dyndns2Request request, Optional<String> user, Dyndns2Answer answer) {
    String detail =
        "user="
            + user.orElse("?")
            + " hostname="
            + request.hostname().map(RefusalAudit::printable).orElse("")
            + " myip="
            + request.myip().map(RefusalAudit::printable).orElse("")
            + " source="
            + IpLiteral.canonical(request.source())
            + " outcome="
            + String.join(";", answer.lines());
    boolean accepted = answer.outcome().equals("good") || answer.outcome().equals("nochg");
    if (answer.outcome().equals("good")) {
      log.info("dyndns2 update {}", detail);
    } else {
      log.debug("dyndns2 update {}", detail);
    }
    AuditEvent event =
        new AuditEvent(
            clock.instant(), nodeId, accepted ? "dyndns2-update" : "dyndns2-rejected", detail);
    auditExecutor.execute(
        () -> {
          try {
            audit.accept(event);
          } catch (StoreUnavailableException e) {
            log.warn("audit type={} not written: {}", event.type(), e.getMessage());
          }
        });
  }
}
