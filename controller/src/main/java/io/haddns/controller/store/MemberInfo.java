package io.haddns.controller.store;

import java.time.Instant;
import java.util.Objects;

/** A live node, as registered under {@code members/} for as long as its session lives. */
public record MemberInfo(String nodeId, String httpAddress, String version, Instant startedAt) {
  public MemberInfo {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(httpAddress, "httpAddress");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(startedAt, "startedAt");
  }
}
