package io.haddns.controller.operate;

import java.util.Objects;

/**
 * One reason a drill may not start now.
 *
 * @param rule which guard rail ({@code members}, {@code line-down}, {@code alarm}, …)
 * @param soft whether an admin's {@code force} skips it (a blackout window, an alarm); safety rails
 *     are never skipped
 * @param why what was found, for the operator
 */
public record GuardRail(String rule, boolean soft, String why) {
  public GuardRail {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(why, "why");
  }
}
