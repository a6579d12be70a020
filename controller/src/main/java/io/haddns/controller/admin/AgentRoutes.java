package io.haddns.controller.admin;

import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.LineAddress;
import io.haddns.controller.config.LineConfig;
import io.haddns.controller.config.OperatorRole;
import io.haddns.controller.store.StoreUnavailableException;
import io.netty.handler.codec.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/agents/{agent}/reset} (admin): resets a reporter's replay protection, so its
 * next report is accepted whatever its sequence (docs/operations.md, "Resetting an agent"). The
 * reporter must report a configured line ({@code address: { agent: <id> }}: an agent, a dyndns2
 * credential or a scoped token); otherwise 404. The line's addresses stay as they are. Audited as
 * {@code agent-reset} with the reporter's lines, the reason and the caller; 503 when ZooKeeper is
 * unavailable, and then nothing was changed.
 */
public final class AgentRoutes {
  public static final String PATH = "/api/v1/agents/{agent}/reset";
  private static final Logger log = LoggerFactory.getLogger(AgentRoutes.class);
  private static final int MAX_REASON = 500;

  private final Map<String, List<String>> linesByReporter;
  private final Predicate<String> reset;

  /** Body of the reset; may be empty. */
  record ResetBody(String reason) {}

  /**
   * @param linesByReporter each reporter's lines
   * @param reset deletes the reporter's stored sequence, true when there was one (e.g. {@code
   *     ZkStateStore::resetAgentSequence}); may throw {@link StoreUnavailableException}
   */
  public AgentRoutes(Map<String, List<String>> linesByReporter, Predicate<String> reset) {
    this.linesByReporter = Map.copyOf(linesByReporter);
    this.reset = reset;
  }

  /** The reporters of {@code config}'s lines ({@code address: { agent: <id> }}). */
  public static AgentRoutes of(HaddnsConfig config, Predicate<String> reset) {
    return new AgentRoutes(
        config.lines().stream()
            .filter(l -> l.address() instanceof LineAddress.Agent)
            .collect(
                Collectors.groupingBy(
                    l -> ((LineAddress.Agent) l.address()).agentId(),
                    Collectors.mapping(LineConfig::name, Collectors.toList()))),
        reset);
  }

  public List<ApiRoute> routes() {
    return List.of(ApiRoute.of(HttpMethod.POST, PATH, OperatorRole.ADMIN, this::reset));
  }

  private CompletableFuture<ApiResponse> reset(ApiRequest request) {
    String agent = request.param("agent");
    ResetBody body =
        request.body().length == 0 ? new ResetBody(null) : request.json(ResetBody.class);
    String reason = body.reason() == null ? "" : body.reason();
    if (reason.length() > MAX_REASON || reason.chars().anyMatch(Character::isISOControl)) {
      throw ApiException.badField(
          "reason", "reason must be at most " + MAX_REASON + " characters, no control characters");
    }
    List<String> lines = linesByReporter.get(agent);
    if (lines == null) {
      throw new ApiException(
          404, "no such agent: " + ApiRequest.printable(agent) + " (no line reports through it)");
    }
    boolean had;
    try {
      had = reset.test(agent);
    } catch (StoreUnavailableException e) {
      throw new ApiException(503, "cluster state unavailable: " + e.getMessage());
    }
    request.audit(
        "agent-reset",
        "agent="
            + agent
            + lines.stream().map(l -> " line=" + l).collect(Collectors.joining())
            + " had-sequence="
            + had
            + " reason=\""
            + reason.replace("\"", "'")
            + "\"");
    log.info("agent={} sequence reset by={} had={}", agent, request.principal().name(), had);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("agent", agent);
    answer.put("lines", lines);
    answer.put("reset", had);
    return CompletableFuture.completedFuture(ApiResponse.ok(answer));
  }
}
