package io.haddns.controller.config;

import static io.haddns.controller.config.ConfigTesting.BASE;
import static io.haddns.controller.config.ConfigTesting.edit;
import static io.haddns.controller.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per validation rule: an edit of a valid file, the path reported and why. */
class ConfigLoaderRulesTest {

  @Test
  void baseFileIsValid() throws ConfigException {
    assertThat(ConfigTesting.parse(ConfigTesting.loader(), BASE).lines()).hasSize(2);
  }

  @Test
  void readsTheAdvertisedDnsAddressesWhichDefaultToNone() throws Exception {
    HaddnsConfig advertised =
        ConfigTesting.parse(
            ConfigTesting.loader(),
            edit("  id: node-1", "  id: node-1\n  dns: { advertise: [192.0.2.1, '2001:db8::1'] }"));

    assertThat(ConfigTesting.parse(ConfigTesting.loader(), BASE).node().dnsAdvertise()).isEmpty();
    assertThat(advertised.node().dnsAdvertise())
        .containsExactly(
            java.net.InetAddress.getByName("192.0.2.1"),
            java.net.InetAddress.getByName("2001:db8::1"));
  }

  @Test
  void readsTheFastIntervalWhichDefaultsToTheInterval() throws Exception {
    HaddnsConfig fast =
        ConfigTesting.parse(
            ConfigTesting.loader(),
            edit("timeout: 400ms", "timeout: 400ms\n    fastInterval: 400ms"));

    LineConfig plain = ConfigTesting.parse(ConfigTesting.loader(), BASE).lines().get(0);
    assertThat(plain.fastInterval()).isEqualTo(plain.interval());
    assertThat(fast.lines().get(0).fastInterval()).isEqualTo(java.time.Duration.ofMillis(400));
    assertThat(fast.lines().get(0).interval()).isEqualTo(java.time.Duration.ofMillis(500));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("rules")
  void reportsProblemAtItsPath(String path, String reason, List<String> edits) {
    List<ConfigProblem> problems = problems(edit(edits.toArray(String[]::new)));

    assertThat(problems)
        .as("problems %s", problems)
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo(path);
              assertThat(p.reason()).contains(reason);
            });
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        // unknown and reserved keys
        rule(
            "lines[0].intervall",
            "did you mean 'interval'?",
            "    rise: 2",
            "    rise: 2\n    intervall: 1s"),
        rule("recods", "did you mean 'records'?", "records:", "recods:"),
        rule(
            "cluster.colour",
            "allowed here: name, zookeeper",
            "  name: prod",
            "  name: prod\n  colour: red"),
        rule(
            "lines[0].probes[0].icmp.count",
            "this mapping takes no keys",
            "{ icmp: {} }",
            "{ icmp: { count: 3 } }"),
        rule(
            "agents[0].publicKeyFile",
            "file not found (/etc/haddns/k.pub)",
            "node:\n",
            "agents: [ { id: office-gw, publicKeyFile: k.pub, lines: [telecom] } ]\nnode:\n"),
        rule(
            "agents[0].lines[0]",
            "has static addresses; give it address: { agent: office-gw }",
            "node:\n",
            "agents: [ { id: office-gw, publicKeyFile: k.pub, lines: [unicom] } ]\nnode:\n"),
        rule(
            "dyndns2[0].line",
            "is reported by 'office-gw', not 'router1'",
            "node:\n",
            "dyndns2: [ { username: router1, passwordHashFile: r.hash, hostnames:"
                + " [app.example.com], line: telecom } ]\nnode:\n"),
        // YAML-level
        rule("cluster.name", "duplicate key", "  name: prod", "  name: prod\n  name: test"),
        rule("cluster.name", "not a boolean", "  name: prod", "  name: no"),
        rule(
            "lines[0].rise",
            "YAML aliases",
            "    fall: 3",
            "    fall: &three 3\n    rise: *three",
            "    rise: 2\n",
            ""),
        // cluster
        rule("cluster", "is required", "cluster:\n  name: prod\n  sessionTimeout: 6s\n", ""),
        rule("cluster.name", "is required", "  name: prod\n", ""),
        rule("cluster.name", "lower-case letters, digits or '-'", "  name: prod", "  name: Prod_1"),
        rule("cluster.name", "1 to 63", "  name: prod", "  name: " + "a".repeat(64)),
        rule("cluster.name", "not a number: quote it", "  name: prod", "  name: 42"),
        rule(
            "cluster.zookeeperAuth",
            "is required with cluster.zookeeper",
            "  name: prod",
            "  name: prod\n  zookeeper: zk-0:2181"),
        rule(
            "cluster.zookeeperAuth",
            "applies only with cluster.zookeeper",
            "  name: prod",
            "  name: prod\n  zookeeperAuth: { scheme: none }"),
        rule(
            "cluster.zookeeperAuth.scheme",
            "must be digest, sasl or none",
            "  name: prod",
            "  name: prod\n  zookeeper: zk-0:2181\n  zookeeperAuth: { scheme: world }"),
        rule(
            "cluster.zookeeperAuth.secretFile",
            "is required",
            "  name: prod",
            "  name: prod\n  zookeeper: zk-0:2181\n  zookeeperAuth: { scheme: digest, user: h }"),
        rule(
            "cluster.zookeeperAuth.secretFile",
            "file not found",
            "  name: prod",
            "  name: prod\n  zookeeper: zk-0:2181\n"
                + "  zookeeperAuth: { scheme: digest, user: h, secretFile: /nonexistent/zk }"),
        rule(
            "cluster.zookeeperAuth.principal",
            "is required",
            "  name: prod",
            "  name: prod\n  zookeeper: zk-0:2181\n  zookeeperAuth: { scheme: sasl }"),
        rule(
            "cluster.zookeeperAuth.migrateAcl",
            "needs an authentication scheme",
            "  name: prod",
            "  name: prod\n  zookeeper: zk-0:2181\n"
                + "  zookeeperAuth: { scheme: none, migrateAcl: true }"),
        rule(
            "cluster.zookeeperTls.trustStorePasswordFile",
            "file not found",
            "  name: prod",
            "  name: prod\n  zookeeper: zk-0:2181\n  zookeeperAuth: { scheme: none }\n"
                + "  zookeeperTls: { trustStorePasswordFile: /nonexistent/pw }"),
        rule(
            "cluster.zookeeper",
            "out of range 1..65535",
            "  name: prod",
            "  name: prod\n  zookeeper: zk-0:2181,zk-1:99999"),
        rule(
            "cluster.zookeeper",
            "neither an IP address nor a host name",
            "  name: prod",
            "  name: prod\n  zookeeper: zk_0:2181"),
        rule(
            "cluster.zookeeper",
            "chroot '/haddns/' is not a valid",
            "  name: prod",
            "  name: prod\n  zookeeper: zk-0:2181/haddns/"),
        rule(
            "cluster.sessionTimeout",
            "between 2s and 1m",
            "sessionTimeout: 6s",
            "sessionTimeout: 1s"),
        rule(
            "cluster.sessionTimeout",
            "between 2s and 1m",
            "sessionTimeout: 6s",
            "sessionTimeout: 61s"),
        rule("cluster.sessionTimeout", "needs a unit", "sessionTimeout: 6s", "sessionTimeout: 6"),
        rule(
            "cluster.sessionTimeout",
            "followed by ms, s, m or h",
            "sessionTimeout: 6s",
            "sessionTimeout: 6 sec"),
        rule(
            "cluster.sessionTimeout",
            "followed by ms, s, m or h",
            "sessionTimeout: 6s",
            "sessionTimeout: 1.5s"),
        rule(
            "cluster.sessionTimeout",
            "must be positive",
            "sessionTimeout: 6s",
            "sessionTimeout: 0s"),
        rule(
            "cluster.connectionTimeout",
            "must not exceed cluster.sessionTimeout",
            "sessionTimeout: 6s",
            "sessionTimeout: 6s\n  connectionTimeout: 10s"),
        rule(
            "cluster.resyncInterval",
            "at least 1s",
            "sessionTimeout: 6s",
            "sessionTimeout: 6s\n  resyncInterval: 500ms"),
        rule(
            "cluster.dataDir",
            "must be a string",
            "sessionTimeout: 6s",
            "sessionTimeout: 6s\n  dataDir: [a]"),
        // lines
        rule("lines", "at least one line", "lines:\n", "lines: []\nold_lines:\n"),
        rule("lines", "is required", "lines:\n", "other_lines:\n"),
        rule(
            "lines[1].name",
            "duplicate line name; already used at lines[0].name",
            "- name: unicom",
            "- name: telecom"),
        rule(
            "lines[0].name",
            "must start with a letter or digit",
            "- name: telecom",
            "- name: -telecom"),
        rule(
            "lines[0].address",
            "exactly one of 'static'",
            "{ agent: office-gw }",
            "{ agent: office-gw, static: [192.0.2.1] }"),
        rule("lines[0].address", "exactly one of 'static'", "{ agent: office-gw }", "{}"),
        rule("lines[0].address", "is required", "    address: { agent: office-gw }\n", ""),
        rule(
            "lines[0].address.agent", "agent id", "{ agent: office-gw }", "{ agent: 'office gw' }"),
        rule("lines[1].address.static[0]", "not a host name", "198.51.100.7,", "gw.example.com,"),
        rule(
            "lines[1].address.static[0]",
            "not a valid IPv4 or IPv6 address",
            "198.51.100.7,",
            "198.51.100.777,"),
        rule(
            "lines[1].address.static[1]",
            "duplicate address",
            "198.51.100.7,",
            "198.51.100.7, 198.51.100.7,"),
        rule(
            "lines[1].address.static[1]",
            "duplicate address",
            "198.51.100.7,",
            "\"2001:DB8:0::7\","),
        rule("lines[1].address.static[0]", "unicast", "198.51.100.7,", "0.0.0.0,"),
        rule(
            "lines[1].address.static[0]",
            "not a valid IPv4 or IPv6 address",
            "198.51.100.7,",
            "\"::ffff:198.51.100.7\","),
        rule(
            "lines[1].address.static",
            "at least one address",
            "[198.51.100.7, \"2001:db8::7\"]",
            "[]"),
        rule("lines[1].probes", "at least one probe", "[ { tcp: { port: 8443 } } ]", "[]"),
        rule(
            "lines[0].probes",
            "is required",
            "    probes: [ { icmp: {} }, { tcp: { port: 443 } } ]\n",
            ""),
        rule(
            "lines[0].probes[1].tcp.port",
            "between 1 and 65535",
            "{ tcp: { port: 443 } }",
            "{ tcp: { port: 70000 } }"),
        rule(
            "lines[0].probes[1].tcp.port",
            "between 1 and 65535",
            "{ tcp: { port: 443 } }",
            "{ tcp: { port: 0 } }"),
        rule("lines[0].probes[1].tcp.port", "is required", "{ tcp: { port: 443 } }", "{ tcp: {} }"),
        rule("lines[0].probes[1].tcp", "needs a port", "{ tcp: { port: 443 } }", "{ tcp: }"),
        rule(
            "lines[0].probes[1].tcp.port",
            "remove the quotes",
            "{ tcp: { port: 443 } }",
            "{ tcp: { port: '443' } }"),
        rule("lines[0].probes[0].http", "allowed here: icmp, tcp", "{ icmp: {} }", "{ http: {} }"),
        rule(
            "lines[0].probes[0]",
            "exactly one probe kind",
            "{ icmp: {} }",
            "{ icmp: {}, tcp: { port: 80 } }"),
        rule("lines[0].probes[1]", "duplicate probe", "{ tcp: { port: 443 } }", "{ icmp: {} }"),
        rule(
            "lines[0].interval",
            "at least 50ms",
            "interval: 500ms",
            "interval: 20ms",
            "timeout: 400ms",
            "timeout: 10ms"),
        rule(
            "lines[0].timeout",
            "must not exceed the interval (500ms)",
            "timeout: 400ms",
            "timeout: 600ms"),
        rule(
            "lines[0].timeout",
            "interval (1s, the default)",
            "    interval: 500ms\n",
            "",
            "timeout: 400ms",
            "timeout: 2s"),
        rule(
            "lines[0].fastInterval",
            "must not exceed the interval (500ms)",
            "timeout: 400ms",
            "timeout: 400ms\n    fastInterval: 600ms"),
        rule(
            "lines[0].fastInterval",
            "must be at least the timeout (400ms)",
            "timeout: 400ms",
            "timeout: 400ms\n    fastInterval: 300ms"),
        rule(
            "lines[0].fastInterval",
            "must be at least the timeout (800ms, the default)",
            "    interval: 500ms\n",
            "",
            "timeout: 400ms",
            "fastInterval: 600ms"),
        rule(
            "lines[0].fastInterval",
            "at least 50ms",
            "timeout: 400ms",
            "timeout: 10ms\n    fastInterval: 20ms"),
        rule("lines[0].fall", "between 1 and 100", "fall: 3", "fall: 0"),
        rule("lines[0].rise", "between 1 and 100", "rise: 2", "rise: 101"),
        rule("lines[0].rise", "whole number", "rise: 2", "rise: 2.5"),
        // zones and providers
        rule(
            "zones",
            "at least one zone",
            "zones:\n  - name: example.com\n    provider: { type: rfc2136, server: \"192.0.2.53:53\", tsig: { name: haddns, algorithm: hmac-sha256, secretEnv: TSIG_SECRET } }\n  - name: example.net\n    provider: { type: embedded }\n",
            "zones: []\n"),
        rule(
            "zones[1].name",
            "duplicate zone; example.com is already configured at zones[0].name",
            "name: example.net",
            "name: Example.COM."),
        rule("zones[1].name", "label 'exa mple'", "name: example.net", "name: exa mple.net"),
        rule("zones[1].name", "empty label", "name: example.net", "name: example..net"),
        rule(
            "zones[1].provider.type",
            "supported: rfc2136, embedded",
            "type: embedded",
            "type: bind9"),
        rule("zones[1].provider.type", "is required", "{ type: embedded }", "{}"),
        rule(
            "zones[1].provider.server",
            "allowed here: type, nameservers",
            "{ type: embedded }",
            "{ type: embedded, server: 192.0.2.1 }"),
        rule("zones[0].provider.server", "out of range", "192.0.2.53:53", "192.0.2.53:0"),
        rule(
            "zones[1].dryRun",
            "true or false",
            "    provider: { type: embedded }\n",
            "    provider: { type: embedded }\n    dryRun: yes please\n"),
        rule(
            "zones[1].verify.nameservers[0]",
            "out of range",
            "    provider: { type: embedded }\n",
            "    provider: { type: embedded }\n    verify: { nameservers: [\"192.0.2.53:0\"] }\n"),
        rule(
            "zones[1].verify.timeout",
            "",
            "    provider: { type: embedded }\n",
            "    provider: { type: embedded }\n    verify: { timeout: 1ms }\n"),
        rule(
            "zones[1].verify.servers",
            "unknown key",
            "    provider: { type: embedded }\n",
            "    provider: { type: embedded }\n    verify: { servers: [] }\n"),
        rule(
            "zones[0].provider.server",
            "not a valid IPv6 address",
            "192.0.2.53:53",
            "2001:db8::zz"),
        rule("zones[0].provider.server", "is required", "server: \"192.0.2.53:53\", ", ""),
        rule(
            "zones[0].provider.tsig.secret",
            "inline secrets are not accepted",
            "secretEnv: TSIG_SECRET",
            "secret: aGFkZG5zLXRlc3Q="),
        rule(
            "zones[0].provider.tsig",
            "both secretFile and secretEnv",
            "secretEnv: TSIG_SECRET",
            "secretEnv: TSIG_SECRET, secretFile: /run/secrets/tsig"),
        rule(
            "zones[0].provider.tsig",
            "give secretFile or secretEnv",
            ", secretEnv: TSIG_SECRET",
            ""),
        rule("zones[0].provider.tsig.name", "is required", "name: haddns, ", ""),
        rule(
            "zones[0].provider.tsig.algorithm",
            "supported: hmac-md5, hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384, hmac-sha512",
            "algorithm: hmac-sha256",
            "algorithm: hmac-sha999"),
        rule(
            "zones[0].provider.tsig.secretEnv",
            "environment variable NOT_SET is not set",
            "secretEnv: TSIG_SECRET",
            "secretEnv: NOT_SET"),
        rule(
            "zones[0].provider.tsig.secretFile",
            "file not found (/etc/haddns/missing.key)",
            "secretEnv: TSIG_SECRET",
            "secretFile: missing.key"),
        rule(
            "zones[0].provider.batchSize",
            "between 1 and 1000",
            "type: rfc2136, ",
            "type: rfc2136, batchSize: 1001, "),
        rule(
            "zones[0].provider.batchSize",
            "between 1 and 1000",
            "type: rfc2136, ",
            "type: rfc2136, batchSize: 0, "),
        rule(
            "zones[0].provider.timeout",
            "needs a unit",
            "type: rfc2136, ",
            "type: rfc2136, timeout: 2, "),
        // records
        rule(
            "records[0].name",
            "is not inside any configured zone (zones: example.com, example.net)",
            "app.example.com",
            "app.example.org"),
        rule("records[0].name", "fencing record", "app.example.com", "_haddns-fence.example.com"),
        rule(
            "records[1].adopt",
            "true or false",
            "lines: [unicom] }",
            "lines: [unicom], adopt: 1 }"),
        rule("records[0].name", "label 'a*'", "app.example.com", "a*.example.com"),
        rule(
            "records[1].name",
            "duplicate record app.example.com/A; already defined at records[0].name",
            "www.example.net",
            "App.Example.com."),
        rule("records[0].type", "supported: A, AAAA", "type: A,", "type: CNAME,"),
        rule("records[0].ttl", "between 0 and 2147483647", "ttl: 30", "ttl: -1"),
        rule("records[0].ttl", "between 0 and 2147483647", "ttl: 30", "ttl: 2147483648"),
        rule(
            "records[0].policy",
            "supported: failover, multivalue",
            "policy: failover",
            "policy: roundrobin"),
        rule("records[0].lines", "at least one line", "lines: [telecom, unicom] }", "lines: [] }"),
        rule("records[0].lines", "is required", ", lines: [telecom, unicom] }", " }"),
        rule(
            "records[0].lines[1]",
            "unknown line; did you mean 'unicom'?",
            "[telecom, unicom]",
            "[telecom, unicon]"),
        rule(
            "records[0].lines[1]",
            "unknown line; configured lines: telecom, unicom",
            "[telecom, unicom]",
            "[telecom, backup]"),
        rule("records[0].lines[1]", "line listed twice", "[telecom, unicom]", "[telecom, telecom]"),
        rule(
            "records[1].lines[0]",
            "line 'unicom' has static addresses but no IPv6 address for this AAAA record",
            ", \"2001:db8::7\"]",
            "]",
            "{ name: www.example.net,",
            "{ name: www.example.net, type: AAAA,"),
        rule(
            "records[1].lines[0]",
            "line 'unicom' has static addresses but no IPv4 address for this A record",
            "198.51.100.7, ",
            ""),
        rule(
            "records",
            "must be a list",
            "records:\n",
            "records: {}\n",
            "  - { name: app.example.com, type: A, ttl: 30, policy: failover, lines: [telecom, unicom] }\n  - { name: www.example.net, lines: [unicom] }\n",
            ""),
        // node
        rule("node.id", "a node id must be", "  id: node-1", "  id: node/1"),
        rule(
            "node.http.port",
            "between 0 and 65535",
            "  id: node-1",
            "  id: node-1\n  http: { port: 70000 }"),
        rule(
            "node.http.host",
            "IP address or a host name",
            "  id: node-1",
            "  id: node-1\n  http: { host: 'not a host' }"),
        rule("node.https", "did you mean 'http'?", "  id: node-1", "  id: node-1\n  https: {}"),
        rule(
            "node.dns.port",
            "between 0 and 65535",
            "  id: node-1",
            "  id: node-1\n  dns: { port: 70000 }"),
        rule(
            "node.dns.host",
            "IP address or a host name",
            "  id: node-1",
            "  id: node-1\n  dns: { host: 'not a host' }"),
        rule(
            "node.dns.advertise[1]",
            "not an IPv4 or IPv6 address",
            "  id: node-1",
            "  id: node-1\n  dns: { advertise: [192.0.2.1, ns1.example.net] }"),
        rule(
            "node.dns.advertise[0]",
            "wildcard address cannot be advertised",
            "  id: node-1",
            "  id: node-1\n  dns: { advertise: ['::'] }"),
        rule(
            "node.dns.advertise[1]",
            "duplicate address",
            "  id: node-1",
            "  id: node-1\n  dns: { advertise: [192.0.2.1, 192.0.2.1] }"),
        rule(
            "zones[1].provider.nameservers[1]",
            "not an IPv4 or IPv6 address",
            "{ type: embedded }",
            "{ type: embedded, nameservers: [192.0.2.1, ns2.example.net] }"),
        rule(
            "zones[1].provider.nameservers[1]",
            "duplicate name server address",
            "{ type: embedded }",
            "{ type: embedded, nameservers: [192.0.2.1, 192.0.2.1] }"));
  }

  private static Arguments rule(String path, String reason, String... edits) {
    return Arguments.of(path, reason, List.of(edits));
  }
}
