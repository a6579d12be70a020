package io.haddns.controller.gateway;

import io.haddns.controller.config.AgentConfig;
import io.haddns.controller.config.Dyndns2Config;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.net.AddressPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Who may report what: the configured agents and dyndns2 credentials, by id, and the addresses each
 * line admits. Immutable.
 */
public final class GatewayCredentials {
  private static final int DEFAULT_PASSWORD_COST = 10;
  private final Map<String, AgentConfig> agents;
  private final Map<String, SignatureCheck> signatures;
  private final Map<String, Dyndns2Config> dyndns2;
  private final Map<String, AddressPolicy> lines;

  /**
   * Every line admits what its reporter's {@code allowPrivate} says (globally reachable addresses
   * only, unless it says {@code true}).
   */
  public GatewayCredentials(List<AgentConfig> agents, List<Dyndns2Config> dyndns2) {
    this(agents, dyndns2, Map.of());
  }

  /**
   * Decodes every agent's public key once, here, rather than for each report.
   *
   * @param lines the address policy of each line, as {@link HaddnsConfig#addressPolicies} gives it;
   *     widened by the reporter's own {@code allowPrivate}
   */
  public GatewayCredentials(
      List<AgentConfig> agents, List<Dyndns2Config> dyndns2, Map<String, AddressPolicy> lines) {
    this.agents = agents.stream().collect(Collectors.toUnmodifiableMap(AgentConfig::id, a -> a));
    this.signatures =
        agents.stream()
            .collect(
                Collectors.toUnmodifiableMap(
                    AgentConfig::id, a -> SignatureCheck.of(a.publicKey())));
    this.dyndns2 =
        dyndns2.stream()
            .collect(Collectors.toUnmodifiableMap(Dyndns2Config::username, Function.identity()));
    this.lines = Map.copyOf(lines);
  }

  public static GatewayCredentials of(HaddnsConfig config) {
    return new GatewayCredentials(config.agents(), config.dyndns2(), config.addressPolicies());
  }

  /** The addresses {@code agent} may report for {@code line}. */
  AddressPolicy addressPolicy(AgentConfig agent, String line) {
    return lines.getOrDefault(line, AddressPolicy.PUBLIC_ONLY).or(agent.allowPrivate());
  }

  /** The addresses {@code credential} may set for its line. */
  AddressPolicy addressPolicy(Dyndns2Config credential) {
    return lines
        .getOrDefault(credential.line(), AddressPolicy.PUBLIC_ONLY)
        .or(credential.allowPrivate());
  }

  Optional<AgentConfig> agent(String id) {
    return Optional.ofNullable(agents.get(id));
  }

  /** The check of {@code id}'s signatures under its configured key. */
  SignatureCheck signatures(String id) {
    SignatureCheck check = signatures.get(id);
    if (check == null) {
      throw new IllegalArgumentException("agent " + id + " is not configured");
    }
    return check;
  }

  Optional<Dyndns2Config> dyndns2(String username) {
    return Optional.ofNullable(dyndns2.get(username));
  }

  /**
   * The highest bcrypt cost of the configured dyndns2 passwords (10, bcrypt's usual default, when
   * there are none): the cost of the dummy hash unknown user names are checked against.
   */
  int highestPasswordCost() {
    return dyndns2.values().stream()
        .mapToInt(c -> c.passwordHash().cost())
        .max()
        .orElse(DEFAULT_PASSWORD_COST);
  }

  @Override
  public String toString() {
    return "GatewayCredentials[agents=" + agents.keySet() + ", dyndns2=" + dyndns2.keySet() + "]";
  }
}
