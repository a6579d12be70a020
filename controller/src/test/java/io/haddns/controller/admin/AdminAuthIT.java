package io.haddns.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.haddns.controller.auth.OperatorTokens;
import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.config.OperatorsConfig;
import io.haddns.controller.gateway.AddressUpdates;
import io.haddns.controller.net.AddressPolicy;
import io.haddns.controller.store.AuditEvent;
import io.haddns.controller.store.StoreSettings;
import io.haddns.controller.store.ZkClient;
import io.haddns.controller.store.ZkPaths;
import io.haddns.controller.store.ZkStateStore;
import io.haddns.controller.store.ZkTestServers;
import io.haddns.controller.testing.LogCapture;
import io.haddns.controller.testing.RequiredBinary;
import io.netty.handler.codec.http.HttpMethod;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Operator authentication on real sockets: an admin server with the real ZooKeeper store (audit
 * trail, line addresses), real HTTP and TLS clients, tokens, JWTs and client certificates.
 */
class AdminAuthIT {
  private static final String ISSUER = "https://sso.example.test";
  private static final String AUDIENCE = "haddns-prod";

  @TempDir Path dir;
  private final InstantSource clock = InstantSource.system();
  private final String alice = OperatorTokens.generate("prod", new SecureRandom());
  private final String bob = OperatorTokens.generate("prod", new SecureRandom());
  private final String ciHome = OperatorTokens.generate("prod", new SecureRandom());
  private final List<AutoCloseable> open = new ArrayList<>();
  private ECKey jwtKey;
  private ZkStateStore store;
  private AdminServer server;

  @BeforeEach
  void startStore() throws Exception {
    TestingServer zk = ZkTestServers.server();
    open.add(zk);
    ZkClient client = ZkTestServers.client(zk.getConnectString());
    open.add(client);
    store = new ZkStateStore(client, new ZkPaths("it"), "node-a", clock, StoreSettings.defaults());
    open.add(store);
    store.start();
    jwtKey = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private OperatorsConfig operators(Optional<OperatorsConfig.Tls> tls) {
    return new OperatorsConfig(
        List.of(
            new OperatorsConfig.Token(
                "alice", OperatorRole.OPERATOR, OperatorTokens.sha256(alice), Optional.empty()),
            new OperatorsConfig.Token(
                "bob", OperatorRole.VIEWER, OperatorTokens.sha256(bob), Optional.empty()),
            new OperatorsConfig.Token(
                "ci-home",
                OperatorRole.VIEWER,
                OperatorTokens.sha256(ciHome),
                Optional.of(new OperatorsConfig.UpdateScope("home", Set.of("home.example.test"))))),
        Optional.of(
            new OperatorsConfig.Jwt(
                ISSUER,
                AUDIENCE,
                new JWKSet(jwtKey.toPublicJWK()),
                "haddns_role",
                "sub",
                Duration.ofSeconds(5))),
        tls,
        false,
        5);
  }

  private String start(OperatorsConfig operators) {
    ApiRoute drain =
        ApiRoute.of(
            HttpMethod.POST,
            "/api/v1/lines/{line}/override",
            OperatorRole.OPERATOR,
            r -> {
              r.audit("line-override", "line=" + r.param("line"));
              return CompletableFuture.completedFuture(
                  ApiResponse.ok(Map.of("line", r.param("line"))));
            });
    UpdateEndpoint update =
        new UpdateEndpoint(
            new AddressUpdates(store, clock, "node-a"), line -> AddressPolicy.PUBLIC_ONLY);
    server =
        new AdminServer(
            "127.0.0.1",
            0,
            new EmptyStatus(),
            new PrometheusRegistry(),
            AdminServer.DEFAULT_LIMITS,
            new AdminSecurity("prod", "node-a", operators, store::audit, clock),
            List.of(
                drain,
                ApiRoute.of(HttpMethod.POST, UpdateEndpoint.PATH, OperatorRole.VIEWER, update)));
    server.start();
    boolean tls = operators.tls().isPresent();
    return (tls ? "https" : "http") + "://127.0.0.1:" + server.address().getPort();
  }

  private static HttpResponse<String> send(
      HttpClient http, String method, String url, Optional<String> token, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .method(
                method,
                body.isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String jwt(String sub, String role, String audience, Instant exp) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(),
            new JWTClaimsSet.Builder()
                .subject(sub)
                .issuer(ISSUER)
                .audience(audience)
                .expirationTime(Date.from(exp))
                .claim("haddns_role", role)
                .build());
    jwt.sign(new ECDSASigner(jwtKey));
    return jwt.serialize();
  }

  @Test
  void enforcesRolesTokensAndJwtsAuditsFailuresAndNeverLogsACredential() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    String staging = OperatorTokens.generate("staging", new SecureRandom());
    String expired = jwt("ci-deploy", "operator", AUDIENCE, Instant.now().minusSeconds(60));
    String otherAudience = jwt("ci-deploy", "operator", "grafana", Instant.now().plusSeconds(300));
    String good = jwt("ci-deploy", "operator", AUDIENCE, Instant.now().plusSeconds(300));
    String forged =
        good.substring(0, good.lastIndexOf('.') + 1)
            + "AAAA"
            + good.substring(good.lastIndexOf('.') + 5);
    List<String> lines;
    try (LogCapture logs = LogCapture.start()) {
      root.setLevel(Level.DEBUG);
      String base = start(operators(Optional.empty()));
      HttpClient http = HttpClient.newHttpClient();
      String drain = base + "/api/v1/lines/home/override";

      assertThat(send(http, "GET", base + "/healthz", Optional.empty(), "").statusCode())
          .isEqualTo(200);
      assertThat(send(http, "GET", base + "/metrics", Optional.empty(), "").statusCode())
          .isEqualTo(200);
      HttpResponse<String> noToken =
          send(http, "GET", base + "/api/v1/status", Optional.empty(), "");
      assertThat(noToken.statusCode()).isEqualTo(401);
      assertThat(send(http, "POST", drain, Optional.empty(), "{}").statusCode()).isEqualTo(401);
      HttpResponse<String> viewer = send(http, "POST", drain, Optional.of(bob), "{}");
      assertThat(viewer.statusCode()).isEqualTo(403);
      assertThat(viewer.body()).contains("has role viewer; this call needs operator");
      assertThat(send(http, "POST", drain, Optional.of(alice), "{}").statusCode()).isEqualTo(200);
      assertThat(send(http, "POST", drain, Optional.of(good), "{}").statusCode()).isEqualTo(200);

      HttpResponse<String> otherCluster =
          send(http, "GET", base + "/api/v1/status", Optional.of(staging), "");
      HttpResponse<String> expiredJwt =
          send(http, "GET", base + "/api/v1/status", Optional.of(expired), "");
      HttpResponse<String> wrongAudience =
          send(http, "GET", base + "/api/v1/status", Optional.of(otherAudience), "");
      HttpResponse<String> badSignature =
          send(http, "GET", base + "/api/v1/status", Optional.of(forged), "");
      assertThat(otherCluster.statusCode()).isEqualTo(401);
      assertThat(otherCluster.body())
          .contains("token is for cluster 'staging', this is cluster 'prod'");
      assertThat(expiredJwt.statusCode()).isEqualTo(401);
      assertThat(expiredJwt.body()).contains("JWT expired").doesNotContain(expired);
      assertThat(wrongAudience.statusCode()).isEqualTo(401);
      assertThat(wrongAudience.body()).contains("JWT for another audience");
      assertThat(badSignature.statusCode()).isEqualTo(401);
      assertThat(badSignature.body()).contains("JWT signature invalid");
      // Four failures so far, the limit is five a minute: the sixth attempt is not even checked.
      assertThat(send(http, "GET", base + "/api/v1/status", Optional.of(staging), "").statusCode())
          .isEqualTo(401);
      HttpResponse<String> limited =
          send(http, "GET", base + "/api/v1/status", Optional.of(alice), "");
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(send(http, "GET", base + "/healthz", Optional.empty(), "").statusCode())
          .isEqualTo(200);

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(store.recentAudit(50))
                      .filteredOn(e -> e.type().equals(OperatorAudit.AUTH_FAILED))
                      .extracting(AuditEvent::detail)
                      .hasSize(5)
                      .anyMatch(
                          d ->
                              d.contains("reason=JWT expired")
                                  && d.contains("credential=ci-deploy"))
                      .anyMatch(d -> d.contains("reason=token is for cluster 'staging'"))
                      .allMatch(d -> d.startsWith("source=127.0.0.1 path=/api/v1/status")));
      await()
          .untilAsserted(
              () ->
                  assertThat(store.recentAudit(50))
                      .filteredOn(e -> e.type().equals("line-override"))
                      .extracting(AuditEvent::detail)
                      .containsExactlyInAnyOrder(
                          "credential=alice role=operator via=token source=127.0.0.1 line=home",
                          "credential=jwt:ci-deploy role=operator via=jwt source=127.0.0.1 line=home"));
      lines = logs.lines();
    } finally {
      root.setLevel(before);
    }
    assertThat(lines).anyMatch(l -> l.contains("admin authentication refused"));
    for (String secret : List.of(alice, bob, staging, expired, otherAudience, good, forged)) {
      assertThat(lines).noneMatch(l -> l.contains(secret));
      assertThat(store.recentAudit(50)).noneMatch(e -> e.detail().contains(secret));
    }
  }

  @Test
  void refusesMutationsWith403AndTheHowToWhenNoCredentialIsConfigured() throws Exception {
    String base = start(OperatorsConfig.none());
    HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> res =
        send(http, "POST", base + "/api/v1/lines/home/override", Optional.empty(), "{}");

    assertThat(res.statusCode()).isEqualTo(403);
    assertThat(res.body()).contains("haddns ctl token create");
    assertThat(send(http, "GET", base + "/api/v1/status", Optional.empty(), "").statusCode())
        .isEqualTo(200);
  }

  @Test
  void setsTheLineAddressWithAScopedTokenAndRefusesHostnamesOutsideTheScope() throws Exception {
    String base = start(operators(Optional.empty()));
    HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> set =
        send(
            http,
            "POST",
            base + UpdateEndpoint.PATH,
            Optional.of(ciHome),
            "{\"hostname\":\"home.example.test\",\"ip\":\"9.9.9.9\"}");
    HttpResponse<String> outside =
        send(
            http,
            "POST",
            base + UpdateEndpoint.PATH,
            Optional.of(ciHome),
            "{\"hostname\":\"app.example.test\",\"ip\":\"1.1.1.1\"}");

    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(set.body()).contains("\"result\" : \"good\"");
    await()
        .untilAsserted(
            () ->
                assertThat(store.lineAddresses().get("home"))
                    .extracting(s -> s.addresses())
                    .isEqualTo(List.of(InetAddress.getByName("9.9.9.9"))));
    assertThat(outside.statusCode()).isEqualTo(403);
    assertThat(outside.body()).contains("\"field\" : \"hostname\"");
    assertThat(store.lineAddresses().get("home").addresses())
        .containsExactly(InetAddress.getByName("9.9.9.9"));
    await()
        .untilAsserted(
            () ->
                assertThat(store.recentAudit(20))
                    .extracting(AuditEvent::type)
                    .contains("api-update", "api-update-rejected"));
  }

  @Test
  void requiresATrustedClientCertificateAndTakesTheRoleFromItsSubject() throws Exception {
    Path openssl = RequiredBinary.require("openssl", "openssl");
    Pem ca = selfSigned(openssl, "ca", "/CN=haddns-test-ca", "");
    Pem serverCert = selfSigned(openssl, "server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1");
    Pem ciRunner = signed(openssl, ca, "ci-runner", "/CN=ci-runner");
    Pem plain = signed(openssl, ca, "plain", "/CN=plain-client");
    Pem rogue = selfSigned(openssl, "rogue", "/CN=ci-runner", "");
    String base =
        start(
            operators(
                Optional.of(
                    new OperatorsConfig.Tls(
                        serverCert.cert(),
                        serverCert.key(),
                        Optional.of(ca.cert()),
                        Map.of("ci-runner", OperatorRole.OPERATOR)))));
    String drain = base + "/api/v1/lines/home/override";

    HttpClient asCi = tlsClient(serverCert, Optional.of(ciRunner));
    HttpClient asPlain = tlsClient(serverCert, Optional.of(plain));
    HttpClient asRogue = tlsClient(serverCert, Optional.of(rogue));
    HttpClient anonymous = tlsClient(serverCert, Optional.empty());

    assertThat(send(asCi, "POST", drain, Optional.empty(), "{}").statusCode()).isEqualTo(200);
    assertThat(send(asPlain, "POST", drain, Optional.empty(), "{}").statusCode()).isEqualTo(401);
    assertThat(send(asPlain, "POST", drain, Optional.of(alice), "{}").statusCode()).isEqualTo(200);
    assertThat(send(asPlain, "GET", base + "/healthz", Optional.empty(), "").statusCode())
        .isEqualTo(200);
    assertThat(catchThrowable(() -> send(asRogue, "GET", base + "/healthz", Optional.empty(), "")))
        .isInstanceOf(IOException.class);
    assertThat(
            catchThrowable(() -> send(anonymous, "GET", base + "/healthz", Optional.empty(), "")))
        .isInstanceOf(IOException.class);
    await()
        .untilAsserted(
            () ->
                assertThat(store.recentAudit(20))
                    .extracting(AuditEvent::detail)
                    .contains(
                        "credential=cert:ci-runner role=operator via=certificate source=127.0.0.1"
                            + " line=home"));
  }

  private record Pem(Path cert, Path key) {}

  private Pem selfSigned(Path openssl, String name, String subject, String ext) throws Exception {
    Pem p = new Pem(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
    List<String> args =
        new ArrayList<>(
            List.of(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "1",
                "-subj",
                subject,
                "-keyout",
                p.key().toString(),
                "-out",
                p.cert().toString()));
    if (!ext.isEmpty()) {
      args.addAll(List.of("-addext", ext));
    }
    run(openssl, args);
    return p;
  }

  private Pem signed(Path openssl, Pem ca, String name, String subject) throws Exception {
    Pem p = new Pem(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
    Path csr = dir.resolve(name + ".csr");
    run(
        openssl,
        List.of(
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-subj",
            subject,
            "-keyout",
            p.key().toString(),
            "-out",
            csr.toString()));
    run(
        openssl,
        List.of(
            "x509",
            "-req",
            "-in",
            csr.toString(),
            "-CA",
            ca.cert().toString(),
            "-CAkey",
            ca.key().toString(),
            "-CAcreateserial",
            "-days",
            "1",
            "-out",
            p.cert().toString()));
    return p;
  }

  private void run(Path program, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(program.toString());
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    boolean done = p.waitFor(30, TimeUnit.SECONDS);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(done && p.exitValue() == 0).as("%s %s:%n%s", program, args, out).isTrue();
  }

  /** A client trusting {@code server}'s certificate, presenting {@code client} if given. */
  private static HttpClient tlsClient(Pem server, Optional<Pem> client) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry(
        "server",
        cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(server.cert()))));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    if (client.isPresent()) {
      Certificate cert =
          cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(client.get().cert())));
      String pem = Files.readString(client.get().key());
      byte[] der =
          Base64.getMimeDecoder()
              .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
      keys.setKeyEntry("client", key, new char[0], new Certificate[] {cert});
    }
    kmf.init(keys, new char[0]);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
    return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static final class EmptyStatus implements StatusSource {
    @Override
    public ClusterStatus status() {
      return new ClusterStatus(
          "prod", "node-a", true, true, "node-a", 1, List.of(), List.of(), List.of(), List.of());
    }

    @Override
    public boolean ready() {
      return true;
    }
  }
}
