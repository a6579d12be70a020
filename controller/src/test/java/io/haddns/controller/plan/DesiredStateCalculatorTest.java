package io.haddns.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.config.Policy;
import io.haddns.controller.config.RecordConfig;
import io.haddns.controller.dns.RecordKey;
import io.haddns.controller.dns.RecordSet;
import io.haddns.controller.dns.RecordType;
import io.haddns.probe.Health;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredStateCalculatorTest {
  private final DesiredStateCalculator calc = new DesiredStateCalculator();
  private static final RecordKey APP = new RecordKey("app.example.com", RecordType.A);

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  private static RecordConfig record(Policy policy, String... lines) {
    return new RecordConfig(APP, 30, policy, List.of(lines), "example.com");
  }

  private static LineState line(String name, Health h, String... ips) throws Exception {
    List<InetAddress> a = new java.util.ArrayList<>();
    for (String s : ips) {
      a.add(ip(s));
    }
    return new LineState(name, h, a);
  }

  @Test
  void failoverPointsAtFirstHealthyLineInOrder() throws Exception {
    Map<String, LineState> lines =
        Map.of(
            "a", line("a", Health.UP, "192.0.2.1"),
            "b", line("b", Health.UP, "198.51.100.1"));
    Desired d = calc.desired(record(Policy.FAILOVER, "a", "b"), lines);
    assertThat(d)
        .isEqualTo(
            new Desired.Point(new RecordSet(APP, 30, List.of(ip("192.0.2.1"))), List.of("a")));
  }

  @Test
  void failoverMovesToBackupWhenPrimaryIsDown() throws Exception {
    Map<String, LineState> lines =
        Map.of(
            "a", line("a", Health.DOWN, "192.0.2.1"),
            "b", line("b", Health.UP, "198.51.100.1"));
    Desired d = calc.desired(record(Policy.FAILOVER, "a", "b"), lines);
    assertThat(((Desired.Point) d).record().addresses()).containsExactly(ip("198.51.100.1"));
    assertThat(((Desired.Point) d).lines()).containsExactly("b");
  }

  @Test
  void failoverSkipsUnknownLines() throws Exception {
    Map<String, LineState> lines =
        Map.of(
            "a", line("a", Health.UNKNOWN, "192.0.2.1"),
            "b", line("b", Health.UP, "198.51.100.1"));
    Desired d = calc.desired(record(Policy.FAILOVER, "a", "b"), lines);
    assertThat(((Desired.Point) d).lines()).containsExactly("b");
  }

  @Test
  void multivalueHoldsEveryHealthyLine() throws Exception {
    Map<String, LineState> lines =
        Map.of(
            "a", line("a", Health.UP, "192.0.2.1"),
            "b", line("b", Health.DOWN, "198.51.100.1"),
            "c", line("c", Health.UP, "203.0.113.9"));
    Desired d = calc.desired(record(Policy.MULTIVALUE, "a", "b", "c"), lines);
    assertThat(((Desired.Point) d).record().addresses())
        .containsExactly(ip("192.0.2.1"), ip("203.0.113.9"));
  }

  @Test
  void keepsRecordWhenNoLineIsUp() throws Exception {
    Map<String, LineState> lines =
        Map.of(
            "a", line("a", Health.DOWN, "192.0.2.1"),
            "b", line("b", Health.UNKNOWN, "198.51.100.1"));
    assertThat(calc.desired(record(Policy.FAILOVER, "a", "b"), lines))
        .isInstanceOf(Desired.Keep.class);
    assertThat(calc.desired(record(Policy.MULTIVALUE, "a", "b"), lines))
        .isInstanceOf(Desired.Keep.class);
  }

  @Test
  void skipsLinesWithoutAnAddressOfTheRecordFamily() throws Exception {
    Map<String, LineState> lines =
        Map.of(
            "v6only", line("v6only", Health.UP, "2001:db8::1"),
            "b", line("b", Health.UP, "198.51.100.1"));
    Desired d = calc.desired(record(Policy.FAILOVER, "v6only", "b"), lines);
    assertThat(((Desired.Point) d).lines()).containsExactly("b");
  }

  @Test
  void aaaaRecordTakesOnlyIpv6Addresses() throws Exception {
    RecordKey key = new RecordKey("app.example.com", RecordType.AAAA);
    RecordConfig rc = new RecordConfig(key, 30, Policy.FAILOVER, List.of("a"), "example.com");
    Map<String, LineState> lines = Map.of("a", line("a", Health.UP, "192.0.2.1", "2001:db8::7"));
    assertThat(((Desired.Point) calc.desired(rc, lines)).record().addresses())
        .containsExactly(ip("2001:db8::7"));
  }

  @Test
  void missingLineStateCountsAsUnknown() {
    assertThat(calc.desired(record(Policy.FAILOVER, "a"), Map.of()))
        .isInstanceOf(Desired.Keep.class);
  }
}
