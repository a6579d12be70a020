package io.haddns.controller.provider;

import io.haddns.controller.config.ProviderConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * One {@link RequestPacer} per provider account, so that zones whose backends use the same account
 * share its documented request rate instead of each spending it: Route 53 allows 5 requests per
 * second per AWS account, Cloudflare limits per API token's user, DNSPod and Alibaba Cloud DNS
 * throttle per account. An account is the credentials and API endpoint a zone's backend uses
 * (secrets enter the key only as a SHA-256 digest); a shared pacer runs at the lowest rate any of
 * its zones configures. Backends without request pacing (RFC 2136, embedded, PowerDNS) have none.
 *
 * <p>Built once from the whole configuration; thread-safe afterwards (read-only).
 */
public final class RequestPacers {
  /** A backend's account and the rate its configuration allows. */
  record Account(String key, int perSecond) {}

  private final Map<String, RequestPacer> pacers = new HashMap<>();

  public RequestPacers(Collection<? extends ProviderConfig> configs) {
    Map<String, Integer> rates = new HashMap<>();
    for (ProviderConfig c : configs) {
      account(c).ifPresent(a -> rates.merge(a.key(), a.perSecond(), Math::min));
    }
    rates.forEach((key, rate) -> pacers.put(key, RequestPacer.realTime(rate)));
  }

  /** The pacer of {@code config}'s account; empty for backends that are not paced. */
  public Optional<RequestPacer> forProvider(ProviderConfig config) {
    return account(config).map(a -> pacers.get(a.key()));
  }

  static Optional<Account> account(ProviderConfig config) {
    return switch (config) {
      case ProviderConfig.Route53 r ->
          Optional.of(
              new Account(
                  "route53|"
                      + r.profile().orElse("(default credentials)")
                      + "|"
                      + r.endpoint().map(Object::toString).orElse("(aws)"),
                  ROUTE53_REQUESTS_PER_SECOND));
      case ProviderConfig.Cloudflare c ->
          Optional.of(
              new Account(
                  "cloudflare|" + c.baseUrl() + "|" + digest(c.token().value()),
                  Math.max(1, c.requestsPerSecond())));
      case ProviderConfig.Dnspod d ->
          Optional.of(
              new Account(
                  "dnspod|" + d.baseUrl() + "|" + digest(d.secretId().value()),
                  Math.max(1, d.requestsPerSecond())));
      case ProviderConfig.Alidns a ->
          Optional.of(
              new Account(
                  "alidns|" + a.endpoint() + "|" + a.accessKeyId(),
                  Math.max(1, a.requestsPerSecond())));
      case ProviderConfig.Rfc2136 r -> Optional.empty();
      case ProviderConfig.Embedded e -> Optional.empty();
      case ProviderConfig.PowerDns p -> Optional.empty();
    };
  }

  /** Route 53's documented limit: 5 requests per second per account. */
  public static final int ROUTE53_REQUESTS_PER_SECOND = 5;

  private static String digest(byte[] secret) {
    try {
      byte[] trimmed =
          new String(secret, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(trimmed));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
