package io.haddns.controller.admin;

import io.haddns.controller.config.OperatorsConfig;
import io.haddns.controller.dns.DnsNames;
import io.haddns.controller.gateway.AddressUpdates;
import io.haddns.controller.net.AddressPolicy;
import io.haddns.controller.net.IpLiteral;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/update} for scripts and CI pipelines: a body (JSON or form) with {@code
 * hostname} and optionally {@code ip} (comma-separated, at most one per family; the caller's
 * address when absent) sets the address of the line the token's scope names, exactly as a dyndns2
 * update does ({@link AddressUpdates}: the same policy, compare-and-set and answers). A credential
 * without a scope, or a host name outside it, is answered 403. Answers (JSON {@code {"result":
 * "good", "addresses": [...]}}): {@code good} and {@code nochg} 200, {@code dnserr} 400 (field
 * {@code ip}), {@code 911} 503. Every call is audited ({@code api-update} or {@code
 * api-update-rejected}) with the credential's name and the source.
 */
public final class UpdateEndpoint implements ApiHandler {
  public static final String PATH = "/api/v1/update";
  private static final Logger log = LoggerFactory.getLogger(UpdateEndpoint.class);
  private static final Set<String> FIELDS = Set.of("hostname", "ip");

  private final AddressUpdates updates;
  private final Function<String, AddressPolicy> policies;

  /**
   * @param policies the address policy of a line (e.g. {@code HaddnsConfig::addressPolicy})
   */
  public UpdateEndpoint(AddressUpdates updates, Function<String, AddressPolicy> policies) {
    this.updates = updates;
    this.policies = policies;
  }

  @Override
  public CompletableFuture<ApiResponse> handle(ApiRequest request) {
    Map<String, String> fields = request.fields(FIELDS);
    String hostname = fields.getOrDefault("hostname", "").strip();
    Optional<String> ip = Optional.ofNullable(fields.get("ip")).filter(s -> !s.isBlank());
    String detail =
        "hostname="
            + DecodeFailures.printable(hostname)
            + " ip="
            + ip.map(DecodeFailures::printable).orElse("");
    if (hostname.isEmpty()) {
      throw ApiException.badField("hostname", "is required");
    }
    String name = DnsNames.canonical(hostname);
    Optional<OperatorsConfig.UpdateScope> scope = request.principal().scope();
    if (scope.isEmpty() || !scope.get().hostnames().contains(name)) {
      request.audit("api-update-rejected", detail + " outcome=out-of-scope");
      throw new ApiException(
          403,
          scope.isEmpty()
              ? "credential '" + request.principal().name() + "' has no update scope"
              : "host name not in the scope of credential '" + request.principal().name() + "'",
          Optional.of("hostname"));
    }
    String line = scope.get().line();
    AddressUpdates.Result r =
        updates.set(line, request.principal().name(), ip, request.source(), policies.apply(line));
    request.audit(
        r.accepted() ? "api-update" : "api-update-rejected",
        detail + " line=" + line + " outcome=" + r.line());
    if (r.code().equals("good")) {
      log.info(
          "api update credential={} line={} addresses={} source={}",
          request.principal().name(),
          line,
          r.addresses(),
          IpLiteral.canonical(request.source()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("result", r.code());
    body.put("line", line);
    body.put("addresses", r.addresses());
    return switch (r.code()) {
      case "good", "nochg" -> CompletableFuture.completedFuture(ApiResponse.ok(body));
      case "dnserr" ->
          throw ApiException.badField(
              "ip",
              "not an address this line may have (malformed, two of one family, or outside its"
                  + " address policy)");
      default -> throw new ApiException(503, "ZooKeeper unavailable; retry (another node)");
    };
  }
}
