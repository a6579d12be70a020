package io.haddns.controller.gateway;

import java.util.List;
import java.util.Objects;

/**
 * A dyndns2 answer: one return code per line of a text/plain body, as dyndns2 clients (routers,
 * ddclient, inadyn) parse it.
 *
 * @param outcome the bounded code for metrics and audit ({@code good}, {@code badauth}, …)
 * @param challenge whether to ask for credentials ({@code WWW-Authenticate: Basic})
 */
record Dyndns2Answer(int httpStatus, List<String> lines, String outcome, boolean challenge) {
  Dyndns2Answer {
    lines = List.copyOf(lines);
    Objects.requireNonNull(outcome, "outcome");
  }

  static Dyndns2Answer of(String code) {
    return switch (code) {
      case "badauth" -> new Dyndns2Answer(401, List.of(code), code, true);
      case "abuse" -> new Dyndns2Answer(429, List.of(code), code, false);
      default -> new Dyndns2Answer(200, List.of(code), code, false);
    };
  }

  String body() {
    return String.join("\n", lines) + "\n";
  }
}
