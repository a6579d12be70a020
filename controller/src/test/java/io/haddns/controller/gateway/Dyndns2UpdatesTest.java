package io.haddns.controller.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.haddns.controller.config.Dyndns2Config;
import io.haddns.controller.config.PasswordHash;
import io.haddns.controller.net.AddressPolicy;
import io.haddns.controller.net.IpLiteral;
import io.haddns.controller.store.AddressFamily;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.testing.MemoryLineAddressStore;
import io.haddns.controller.testing.SettableClock;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Dyndns2UpdatesTest {
  static final String PASSWORD = "router-pass";
  static final PasswordHash HASH =
      new PasswordHash(
          BCrypt.withDefaults().hash(4, PASSWORD.toCharArray()), "test hash for router1");
  static final String AUTH = basic("router1", PASSWORD);
  static final InetAddress SOURCE = literal("203.0.113.5");

  private final SettableClock clock = new SettableClock(Instant.parse("2026-11-22T10:00:00Z"));
  private final MemoryLineAddressStore store = new MemoryLineAddressStore(clock);
  private final List<AuditEvent> audit = new ArrayList<>();
  private Dyndns2Updates updates = updates(1000);

  private Dyndns2Updates updates(int maxFailures) {
    // The updates below are of documentation addresses (RFC 5737), which are private.
    return updates(
        new GatewayCredentials(
            List.of(),
            List.of(
                new Dyndns2Config(
                    "router1",
                    HASH,
                    List.of("home.example.com", "nas.example.com"),
                    "home",
                    true))),
        maxFailures);
  }

  private Dyndns2Updates updates(GatewayCredentials credentials, int maxFailures) {
    return new Dyndns2Updates(
        credentials,
        store,
        audit::add,
        Runnable::run,
        clock,
        "node-1",
        new LoginFailures(maxFailures, Duration.ofMinutes(1), clock));
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static InetAddress literal(String s) {
    return IpLiteral.parse(s).orElseThrow();
  }

  static Dyndns2Request request(String auth, String agent, String hostname, String myip) {
    return request(auth, agent, hostname, myip, SOURCE);
  }

  static Dyndns2Request request(
      String auth, String agent, String hostname, String myip, InetAddress source) {
    return new Dyndns2Request(
        Optional.ofNullable(auth),
        Optional.ofNullable(agent),
        Optional.ofNullable(hostname),
        Optional.ofNullable(myip),
        source);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void answers(String what, Dyndns2Request request, int status, String body, boolean written) {
    Dyndns2Answer a = updates.update(request);

    assertThat(a.body()).isEqualTo(body);
    assertThat(a.httpStatus()).isEqualTo(status);
    assertThat(store.writes > 0).isEqualTo(written);
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).detail()).doesNotContain(PASSWORD).doesNotContain(AUTH.substring(6));
  }

  static Stream<Arguments> answers() {
    String agent = "ddclient/3.10.0";
    String many =
        IntStream.rangeClosed(1, 21)
            .mapToObj(i -> "h" + i + ".example.com")
            .collect(Collectors.joining(","));
    return Stream.of(
        Arguments.of(
            "good",
            request(AUTH, agent, "home.example.com", "198.51.100.7"),
            200,
            "good 198.51.100.7\n",
            true),
        Arguments.of(
            "caller's address without myip",
            request(AUTH, agent, "home.example.com", null),
            200,
            "good 203.0.113.5\n",
            true),
        Arguments.of(
            "two families",
            request(AUTH, agent, "home.example.com", "198.51.100.7,2001:DB8::7"),
            200,
            "good 198.51.100.7,2001:db8::7\n",
            true),
        Arguments.of(
            "one line per host name",
            request(AUTH, agent, "home.example.com,NAS.example.com.", "198.51.100.7"),
            200,
            "good 198.51.100.7\ngood 198.51.100.7\n",
            true),
        Arguments.of(
            "nohost",
            request(AUTH, agent, "other.example.com", "198.51.100.7"),
            200,
            "nohost\n",
            false),
        Arguments.of(
            "mixed",
            request(AUTH, agent, "home.example.com,other.example.com", "198.51.100.7"),
            200,
            "good 198.51.100.7\nnohost\n",
            true),
        Arguments.of(
            "notfqdn", request(AUTH, agent, "home", "198.51.100.7"), 200, "notfqdn\n", false),
        Arguments.of(
            "missing hostname",
            request(AUTH, agent, null, "198.51.100.7"),
            200,
            "notfqdn\n",
            false),
        Arguments.of(
            "numhost", request(AUTH, agent, many, "198.51.100.7"), 200, "numhost\n", false),
        Arguments.of(
            "badauth: wrong password",
            request(basic("router1", "nope"), agent, "home.example.com", "198.51.100.7"),
            401,
            "badauth\n",
            false),
        Arguments.of(
            "badauth: unknown user",
            request(basic("router2", PASSWORD), agent, "home.example.com", "198.51.100.7"),
            401,
            "badauth\n",
            false),
        Arguments.of(
            "badauth: no credentials",
            request(null, agent, "home.example.com", "198.51.100.7"),
            401,
            "badauth\n",
            false),
        Arguments.of(
            "badauth: not Basic",
            request("Bearer x", agent, "home.example.com", "198.51.100.7"),
            401,
            "badauth\n",
            false),
        Arguments.of(
            "badagent",
            request(AUTH, null, "home.example.com", "198.51.100.7"),
            200,
            "badagent\n",
            false),
        Arguments.of(
            "dnserr: invalid myip",
            request(AUTH, agent, "home.example.com", "198.51.100.300"),
            200,
            "dnserr\n",
            false),
        Arguments.of(
            "dnserr: loopback myip",
            request(AUTH, agent, "home.example.com", "127.0.0.1"),
            200,
            "dnserr\n",
            false),
        Arguments.of(
            "dnserr: link-local myip, even with allowPrivate",
            request(AUTH, agent, "home.example.com", "198.51.100.7,fe80::1"),
            200,
            "dnserr\n",
            false),
        Arguments.of(
            "dnserr: multicast myip",
            request(AUTH, agent, "home.example.com", "224.0.0.1"),
            200,
            "dnserr\n",
            false),
        Arguments.of(
            "dnserr: two IPv4",
            request(AUTH, agent, "home.example.com", "198.51.100.7,198.51.100.8"),
            200,
            "dnserr\n",
            false));
  }

  private Dyndns2Updates updates(GatewayCredentials credentials) {
    return updates(credentials, 1000);
  }

  private static Dyndns2Config router1(boolean allowPrivate) {
    return new Dyndns2Config("router1", HASH, List.of("home.example.com"), "home", allowPrivate);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.1.2.3", "100.64.0.1", "192.168.1.1", "fd00::7", "2001:db8::7"})
  void refusesAPrivateMyipUnlessTheCredentialOrItsLineAllowsIt(String myip) {
    updates = updates(new GatewayCredentials(List.of(), List.of(router1(false))));

    Dyndns2Answer refused = updates.update(request(AUTH, "x", "home.example.com", myip));

    assertThat(refused.body()).isEqualTo("dnserr\n");
    assertThat(store.writes).isZero();
    assertThat(audit.getLast().type()).isEqualTo("dyndns2-rejected");

    updates =
        updates(
            new GatewayCredentials(
                List.of(), List.of(router1(false)), Map.of("home", AddressPolicy.ALLOW_PRIVATE)));
    String canonical = IpLiteral.canonical(literal(myip));
    assertThat(updates.update(request(AUTH, "x", "home.example.com", myip)).body())
        .as("the line allows private addresses")
        .isEqualTo("good " + canonical + "\n");
  }

  @Test
  void refusesAPrivateCallerAddressWithoutMyipUnlessAllowed() {
    updates = updates(new GatewayCredentials(List.of(), List.of(router1(false))));
    // SOURCE is 203.0.113.5, a documentation address: private.
    assertThat(updates.update(request(AUTH, "x", "home.example.com", null)).body())
        .isEqualTo("dnserr\n");

    updates = updates(new GatewayCredentials(List.of(), List.of(router1(true))));
    assertThat(updates.update(request(AUTH, "x", "home.example.com", null)).body())
        .isEqualTo("good 203.0.113.5\n");
  }

  @Test
  void acceptsAGloballyReachableMyipWithoutAllowPrivate() {
    updates = updates(new GatewayCredentials(List.of(), List.of(router1(false))));

    assertThat(updates.update(request(AUTH, "x", "home.example.com", "1.1.1.1")).body())
        .isEqualTo("good 1.1.1.1\n");
  }

  @Test
  void answersNochgWhenTheAddressIsAlreadyCommitted() {
    updates.update(request(AUTH, "inadyn/2.10", "home.example.com", "198.51.100.7"));

    Dyndns2Answer again =
        updates.update(request(AUTH, "inadyn/2.10", "home.example.com", "198.51.100.7"));

    assertThat(again.body()).isEqualTo("nochg 198.51.100.7\n");
    assertThat(store.writes).isEqualTo(1);
  }

  @Test
  void assignsIncreasingSequencesToTheUser() {
    updates.update(request(AUTH, "x", "home.example.com", "198.51.100.7"));
    updates.update(request(AUTH, "x", "home.example.com", "198.51.100.8"));

    var r = store.lineAddresses().get("home").report(AddressFamily.IPV4).orElseThrow();
    assertThat(r.sequence()).isEqualTo(2);
    assertThat(r.agent()).isEqualTo("router1");
  }

  @Test
  void neverCountsSuccessfulLogins() {
    updates = updates(1);
    for (int i = 1; i <= 5; i++) {
      Dyndns2Answer a =
          updates.update(request(AUTH, "x", "home.example.com", "198.51.100." + (i % 2 + 7)));

      assertThat(a.outcome()).isIn("good", "nochg");
    }
  }

  @Test
  void answersAbuseWithoutAPasswordCheckToASourceOverItsFailures() {
    updates = updates(2);
    assertThat(
            updates
                .update(request(basic("router1", "guess1"), "x", "home.example.com", null))
                .body())
        .isEqualTo("badauth\n");
    assertThat(
            updates.update(request(basic("other", "guess2"), "x", "home.example.com", null)).body())
        .isEqualTo("badauth\n");
    long checks = updates.passwordChecks();

    // That source's failures are used up, whatever user it names, even with the right password.
    Dyndns2Answer a = updates.update(request(AUTH, "x", "home.example.com", "198.51.100.7"));

    assertThat(a.body()).isEqualTo("abuse\n");
    assertThat(a.httpStatus()).isEqualTo(200);
    assertThat(updates.passwordChecks()).isEqualTo(checks);
    assertThat(store.writes).isZero();
    assertThat(audit).extracting(AuditEvent::type).containsOnly("dyndns2-rejected");

    // The next window starts afresh.
    clock.advance(Duration.ofMinutes(1));
    assertThat(updates.update(request(AUTH, "x", "home.example.com", "198.51.100.7")).outcome())
        .isEqualTo("good");
  }

  @Test
  void letsTheRightPasswordInFromACleanSourceWhileAnAttackerLocksTheUserName() {
    updates = updates(5);
    InetAddress attacker = literal("192.0.2.66");
    InetAddress router = literal("203.0.113.5");
    Dyndns2Request guess =
        request(basic("router1", "guess"), "x", "home.example.com", "198.51.100.66", attacker);
    List<String> attackerAnswers = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      attackerAnswers.add(updates.update(guess).outcome());
    }
    // A second attacker address gets one guess now that the user name's failures are used up.
    InetAddress second = literal("192.0.2.67");
    Dyndns2Request secondGuess =
        request(basic("router1", "guess"), "x", "home.example.com", "198.51.100.66", second);
    List<String> secondAnswers = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      secondAnswers.add(updates.update(secondGuess).outcome());
    }

    Dyndns2Answer legitimate =
        updates.update(
            request(AUTH, "ddclient/3.10.0", "home.example.com", "198.51.100.7", router));

    assertThat(legitimate.body()).isEqualTo("good 198.51.100.7\n");
    assertThat(attackerAnswers.subList(0, 5)).containsOnly("badauth");
    assertThat(attackerAnswers.subList(5, 1_000)).containsOnly("abuse");
    assertThat(secondAnswers.get(0)).isEqualTo("badauth");
    assertThat(secondAnswers.subList(1, 10)).containsOnly("abuse");
    // bcrypt ran for 5 + 1 guesses and the one right login, not for 1,010 requests.
    assertThat(updates.passwordChecks()).isEqualTo(7);
    assertThat(store.lineAddresses().get("home").addresses())
        .containsExactly(literal("198.51.100.7"));
  }

  @Test
  void limitsUnknownUserNamesLikeKnownOnesWithoutTellingThemApart() {
    updates = updates(1);
    Dyndns2Answer unknown =
        updates.update(
            request(
                basic("nobody", PASSWORD), "x", "home.example.com", null, literal("192.0.2.1")));
    Dyndns2Answer known =
        updates.update(
            request(
                basic("router1", "wrong"), "x", "home.example.com", null, literal("192.0.2.2")));

    assertThat(unknown).isEqualTo(known);
    assertThat(
            updates
                .update(
                    request(
                        basic("nobody", PASSWORD),
                        "x",
                        "home.example.com",
                        null,
                        literal("192.0.2.1")))
                .body())
        .isEqualTo("abuse\n");
  }

  @Test
  void checksUnknownUserNamesAgainstADummyHashOfTheConfiguredCost() {
    PasswordHash cost6 = new PasswordHash(BCrypt.withDefaults().hash(6, "p".toCharArray()), "t");
    GatewayCredentials credentials =
        new GatewayCredentials(
            List.of(),
            List.of(
                new Dyndns2Config("a", HASH, List.of("a.example.com"), "home"),
                new Dyndns2Config("b", cost6, List.of("b.example.com"), "home")));

    assertThat(credentials.highestPasswordCost()).isEqualTo(6);
    assertThat(PasswordHash.dummy(6).cost()).isEqualTo(6);
    assertThat(PasswordHash.dummy(6).matches(new byte[0])).isFalse();
    assertThat(new GatewayCredentials(List.of(), List.of()).highestPasswordCost()).isEqualTo(10);
  }

  @Test
  void answers911WhenZooKeeperIsUnavailable() {
    store.unavailable = true;

    assertThat(updates.update(request(AUTH, "x", "home.example.com", "198.51.100.7")).body())
        .isEqualTo("911\n");
  }
}
