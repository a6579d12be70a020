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

  /**
   * {@code badauth} is answered 401 with a challenge (ddclient reports "authorization failed",
   * inadyn an authentication failure, both from the status alone); every other code 200, as dyn.com
   * does: ddclient 3.10 and inadyn 2.10 read the body only of a 200 answer, so {@code abuse} sent
   * with 429 would reach neither as {@code abuse}.
   */
  static Dyndns2Answer of(String code) {
    return code.equals("badauth")
        ? new Dyndns2Answer(401, List.of(code), code, true)
        : new Dyndns2Answer(200, List.of(code), code, false);
  }

  String body() {
    return String.join("\n", lines) + "\n";
  }
}
