package io.haddns.controller.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web dashboard's files (docs/dashboard.md), shipped in the jar under {@code ui/} and served by
 * the admin server at {@code /ui/} without a token: they hold no cluster data, which the page reads
 * from the admin API with the operator's token. Only flat names of the known kinds are ever looked
 * up ({@code /ui/app.js}); anything else, traversal included, is not found.
 *
 * <p>Every answer carries {@link #securityHeaders}: a Content-Security-Policy that allows scripts
 * and styles from the node itself only (no inline code) and connections to the node and the
 * cluster's live members only, no framing, no sniffing.
 */
public final class DashboardAssets {
  /** Where the dashboard lives on the admin port. */
  public static final String PREFIX = "/ui/";

  /** The headers of every dashboard answer, for a node that knows no other members. */
  public static final Map<String, String> SECURITY_HEADERS = securityHeaders(List.of());

  /**
   * A member's advertised admin address as a CSP host source: a host name or IPv4 address, and a
   * port. CSP has no syntax for IPv6 literals, so members advertised by one are left out.
   */
  private static final Pattern HOST_SOURCE =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,252}:[0-9]{1,5}");

  /**
   * The headers of every dashboard answer: {@code connect-src} allows the node itself and the
   * cluster's {@code members} ({@code host:port}, the scheme of the page), so that the page can
   * find a member still answering when its own node stops (docs/dashboard.md, "Following the
   * cluster"); anything that is not a plain {@code host:port} (an IPv6 literal included) is left
   * out.
   */
  public static Map<String, String> securityHeaders(List<String> members) {
    StringBuilder connect = new StringBuilder("'self'");
    members.stream()
        .filter(m -> HOST_SOURCE.matcher(m).matches())
        .distinct()
        .forEach(m -> connect.append(' ').append(m));
    return Map.of(
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src "
            + connect
            + "; object-src 'none'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'",
        "x-content-type-options",
        "nosniff",
        "x-frame-options",
        "DENY",
        "referrer-policy",
        "no-referrer",
        "cache-control",
        "no-cache");
  }

  private static final Pattern NAME =
      Pattern.compile("[a-z0-9][a-z0-9-]{0,63}\\.(html|js|css|svg)");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");

  /** What a request under the dashboard's paths is answered. */
  public sealed interface Answer {
    /** 200 with the file. */
    record Found(String contentType, byte[] body) implements Answer {}

    /** 302 to {@code location}. */
    record Redirect(String location) implements Answer {}

    /** 404. */
    record NotFound() implements Answer {}
  }

  private final ClassLoader loader;
  private final String root;
  private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

  /**
   * @param root the resource folder holding the files, e.g. {@code ui/}
   */
  DashboardAssets(ClassLoader loader, String root) {
    this.loader = loader;
    this.root = root;
  }

  /** The files this jar ships. */
  public static DashboardAssets shipped() {
    return new DashboardAssets(DashboardAssets.class.getClassLoader(), "ui/");
  }

  /** Whether {@code path} belongs to the dashboard ({@code /}, {@code /ui} or below). */
  public static boolean handles(String path) {
    return path.equals("/") || path.equals("/ui") || path.startsWith(PREFIX);
  }

  /**
   * The answer to a GET of {@code path} (one {@link #handles} accepts); {@code tokenRequired} tells
   * the page whether to ask for a token before its first API call ({@code /ui/session.json}).
   */
  public Answer answer(String path, boolean tokenRequired) {
    if (path.equals("/") || path.equals("/ui")) {
      return new Answer.Redirect(PREFIX);
    }
    String name = path.substring(PREFIX.length());
    if (name.isEmpty()) {
      name = "index.html";
    }
    if (name.equals("session.json")) {
      return new Answer.Found(
          "application/json",
          ("{\"tokenRequired\":" + tokenRequired + "}").getBytes(StandardCharsets.UTF_8));
    }
    if (!NAME.matcher(name).matches()) {
      return new Answer.NotFound();
    }
    String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
    return cache
        .computeIfAbsent(name, this::load)
        .<Answer>map(body -> new Answer.Found(type, body))
        .orElseGet(Answer.NotFound::new);
  }

  private Optional<byte[]> load(String name) {
    try (InputStream in = loader.getResourceAsStream(root + name)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("dashboard file " + name + " unreadable", e);
    }
  }
}
