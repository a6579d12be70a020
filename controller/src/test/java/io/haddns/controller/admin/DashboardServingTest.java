package io.haddns.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.auth.OperatorTokens;
import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.config.OperatorsConfig;
import io.haddns.controller.netty.ListenerLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The web dashboard's files on the admin port (docs/dashboard.md), on an embedded channel: content
 * types, security headers, no way out of the dashboard's folder, no token needed for the files but
 * one for the data, and browser mutations from another site refused.
 */
class DashboardServingTest {
  private static final Path SOURCES = Path.of("src/main/resources/ui");
  private static final String CSP =
      "content-security-policy: default-src 'self'; script-src 'self'; style-src 'self';"
          + " img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none';"
          + " form-action 'none'; frame-ancestors 'none'";

  private final String alice = OperatorTokens.generate("prod", new SecureRandom());
  private final String bob = OperatorTokens.generate("prod", new SecureRandom());

  private final ApiRoute pause =
      ApiRoute.of(
          HttpMethod.POST,
          "/api/v1/zones/{zone}/pause",
          OperatorRole.OPERATOR,
          r -> CompletableFuture.completedFuture(ApiResponse.ok(Map.of("zone", r.param("zone")))));

  /** Ready; the page's files never need the status. */
  private static class NoStatus implements StatusSource {
    @Override
    public ClusterStatus status() {
      throw new IllegalStateException("the dashboard's files need no status");
    }

    @Override
    public boolean ready() {
      return true;
    }
  }

  /**
   * Knows the members' advertised admin addresses: one an IPv6 literal (CSP cannot name it), one
   * not a plain host:port.
   */
  private static final class Members extends NoStatus {
    @Override
    public List<String> memberAddresses() {
      return List.of(
          "10.0.0.1:8053", "[2001:db8::1]:8053", "node-3.haddns.svc:8053", "x; script-src *:1");
    }
  }

  private EmbeddedChannel channel(OperatorsConfig operators) {
    return channel(operators, new NoStatus());
  }

  private EmbeddedChannel channel(OperatorsConfig operators, StatusSource source) {
    EmbeddedChannel ch = new EmbeddedChannel();
    new AdminServerInitializer(
            AdminServer.context(
                source,
                new PrometheusRegistry(),
                new AdminSecurity("prod", "n1", operators, e -> {}, InstantSource.system()),
                List.of(pause),
                Runnable::run,
                Runnable::run),
            new ListenerLimits(4, 4, Duration.ofSeconds(10)),
            Optional.empty())
        .addHandlers(ch.pipeline());
    return ch;
  }

  private OperatorsConfig tokens() {
    return new OperatorsConfig(
        List.of(
            new OperatorsConfig.Token(
                "alice", OperatorRole.OPERATOR, OperatorTokens.sha256(alice), Optional.empty()),
            new OperatorsConfig.Token(
                "bob", OperatorRole.VIEWER, OperatorTokens.sha256(bob), Optional.empty())),
        Optional.empty(),
        Optional.empty(),
        false,
        10);
  }

  private static String call(EmbeddedChannel ch, String method, String path, String... headers) {
    StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: a\r\n");
    for (String h : headers) {
      req.append(h).append("\r\n");
    }
    if (!method.equals("GET")) {
      req.append("Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
    } else {
      req.append("\r\n");
    }
    ch.writeInbound(Unpooled.copiedBuffer(req.toString(), StandardCharsets.UTF_8));
    ch.runPendingTasks();
    StringBuilder out = new StringBuilder();
    for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
      out.append(b.toString(StandardCharsets.UTF_8));
      b.release();
    }
    return out.toString();
  }

  @Test
  void servesThePageWithoutATokenUnderAStrictContentSecurityPolicy() {
    EmbeddedChannel ch = channel(tokens());

    String page = call(ch, "GET", "/ui/");

    assertThat(page)
        .startsWith("HTTP/1.1 200 OK")
        .contains("content-type: text/html; charset=utf-8")
        .contains(CSP)
        .contains("x-content-type-options: nosniff")
        .contains("x-frame-options: DENY")
        .contains("referrer-policy: no-referrer")
        .contains("<script type=\"module\" src=\"/ui/app.js\"></script>");
    // The same answer but for the request's own id.
    assertThat(withoutRequestId(call(ch, "GET", "/ui/index.html")))
        .isEqualTo(withoutRequestId(page));
  }

  private static String withoutRequestId(String response) {
    return response.replaceFirst("X-Request-Id: \\S+\r\n", "");
  }

  @Test
  void answersEachKindOfFileWithItsContentType() {
    EmbeddedChannel ch = channel(tokens());

    assertThat(call(ch, "GET", "/ui/app.js"))
        .startsWith("HTTP/1.1 200 OK")
        .contains("content-type: text/javascript; charset=utf-8")
        .contains(CSP);
    assertThat(call(ch, "GET", "/ui/app.css"))
        .startsWith("HTTP/1.1 200 OK")
        .contains("content-type: text/css; charset=utf-8");
    assertThat(call(ch, "GET", "/ui/favicon.svg"))
        .startsWith("HTTP/1.1 200 OK")
        .contains("content-type: image/svg+xml");
  }

  @Test
  void letsThePageConnectToTheClustersMembersOnlyAndDropsAnythingThatIsNotAHostAndPort() {
    EmbeddedChannel ch = channel(tokens(), new Members());

    assertThat(call(ch, "GET", "/ui/"))
        .startsWith("HTTP/1.1 200 OK")
        .contains(
            CSP.replace(
                "connect-src 'self';", "connect-src 'self' 10.0.0.1:8053 node-3.haddns.svc:8053;"))
        .doesNotContain("script-src *");
  }

  @Test
  void redirectsTheRootAndTheBareFolderToTheDashboard() {
    EmbeddedChannel ch = channel(tokens());

    assertThat(call(ch, "GET", "/")).startsWith("HTTP/1.1 302 Found").contains("location: /ui/");
    assertThat(call(ch, "GET", "/ui")).startsWith("HTTP/1.1 302 Found").contains("location: /ui/");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/ui/../logback.xml",
        "/ui/..%2Flogback.xml",
        "/ui/%2e%2e/%2e%2e/etc/passwd",
        "/ui/....//logback.xml",
        "/ui/io/haddns/controller/ui/DashboardAssets.class",
        "/ui/%2Fetc%2Fpasswd",
        "/ui/app.js%00.css",
        "/ui/App.js",
        "/ui/missing.js",
        "/ui/.hidden.js"
      })
  void answersNotFoundForAnythingOutsideTheDashboardsFiles(String path) {
    EmbeddedChannel ch = channel(tokens());

    String res = call(ch, "GET", path);

    assertThat(res).startsWith("HTTP/1.1 404 Not Found").contains(CSP);
    assertThat(res).doesNotContain("<configuration").doesNotContain("root:");
  }

  @Test
  void answersOnlyReadsForTheFiles() {
    EmbeddedChannel ch = channel(tokens());

    assertThat(call(ch, "POST", "/ui/index.html"))
        .startsWith("HTTP/1.1 405 Method Not Allowed")
        .contains("allow: GET, HEAD");
  }

  @Test
  void tellsThePageWhetherItMustAskForAToken() {
    assertThat(call(channel(tokens()), "GET", "/ui/session.json"))
        .startsWith("HTTP/1.1 200 OK")
        .endsWith("{\"tokenRequired\":true}");
    assertThat(call(channel(OperatorsConfig.none()), "GET", "/ui/session.json"))
        .endsWith("{\"tokenRequired\":false}");
  }

  @Test
  void whoamiNamesTheCredentialAndItsRoleAndNeedsAToken() {
    EmbeddedChannel ch = channel(tokens());

    assertThat(call(ch, "GET", "/api/v1/whoami")).startsWith("HTTP/1.1 401");
    assertThat(call(ch, "GET", "/api/v1/whoami", "Authorization: Bearer " + bob))
        .startsWith("HTTP/1.1 200 OK")
        .contains("\"name\" : \"bob\"")
        .contains("\"role\" : \"viewer\"")
        .contains("x-content-type-options: nosniff")
        .doesNotContain(bob);
  }

  @Test
  void refusesABrowsersMutationSentForAnotherSiteEvenWithAValidCredential() {
    EmbeddedChannel ch = channel(tokens());
    String auth = "Authorization: Bearer " + alice;

    assertThat(call(ch, "POST", "/api/v1/zones/z/pause", auth, "Origin: http://evil.example:8080"))
        .startsWith("HTTP/1.1 403 Forbidden")
        .contains("cross-origin request refused");
    assertThat(call(ch, "POST", "/api/v1/zones/z/pause", auth, "Sec-Fetch-Site: cross-site"))
        .startsWith("HTTP/1.1 403 Forbidden")
        .contains("cross-site request refused");
    assertThat(
            call(
                ch,
                "POST",
                "/api/v1/zones/z/pause",
                auth,
                "Origin: http://a",
                "Sec-Fetch-Site: same-origin"))
        .startsWith("HTTP/1.1 200 OK");
    assertThat(call(ch, "POST", "/api/v1/zones/z/pause", auth)).startsWith("HTTP/1.1 200 OK");
  }

  /** Data only ever reaches the page as text: no HTML parsing of strings, no eval. */
  @Test
  void theScriptsNeverParseDataAsHtmlOrCode() throws IOException {
    List<Path> scripts;
    try (Stream<Path> files = Files.list(SOURCES)) {
      scripts = files.filter(p -> p.toString().endsWith(".js")).sorted().toList();
    }
    assertThat(scripts).hasSizeGreaterThanOrEqualTo(5);
    Pattern imports = Pattern.compile("from '\\./([a-z0-9-]+\\.js)'");
    for (Path p : scripts) {
      String js = Files.readString(p);
      assertThat(js)
          .as(p.toString())
          .doesNotContain("innerHTML")
          .doesNotContain("outerHTML")
          .doesNotContain("insertAdjacentHTML")
          .doesNotContain("document.write")
          .doesNotContain("eval(")
          .doesNotContain("new Function")
          .doesNotContain("localStorage")
          .doesNotContain("document.cookie");
      Matcher m = imports.matcher(js);
      while (m.find()) {
        assertThat(SOURCES.resolve(m.group(1))).as(p + " imports").exists();
      }
    }
    String html = Files.readString(SOURCES.resolve("index.html"));
    assertThat(html).doesNotContain("style=").doesNotContain("<style");
    assertThat(Pattern.compile("\\son[a-z]+\\s*=").matcher(html).find()).isFalse();
    assertThat(Pattern.compile("<script(?![^>]*\\ssrc=)").matcher(html).find()).isFalse();
  }
}
