package io.haddns.controller.ui;

import java.util.Locale;
import java.util.Optional;

/**
 * Refuses a mutation that a browser sends on behalf of another site. The dashboard's own calls
 * carry the token in a header that no other site can make a browser send, but a client certificate
 * (mTLS) is sent by the browser on its own: without this check a page elsewhere could post a form
 * to the admin port with the operator's certificate (docs/dashboard.md, "Security").
 */
public final class CrossSiteRequests {
  private CrossSiteRequests() {}

  /**
   * Why the request must be refused, or empty. A request without {@code Origin} and {@code
   * Sec-Fetch-Site} (curl, ctl, scripts) passes.
   *
   * @param host the request's {@code Host} header
   * @param origin the request's {@code Origin} header
   * @param fetchSite the request's {@code Sec-Fetch-Site} header
   */
  public static Optional<String> refusal(
      Optional<String> host, Optional<String> origin, Optional<String> fetchSite) {
    if (fetchSite.isPresent()) {
      String site = fetchSite.get().toLowerCase(Locale.ROOT);
      if (!site.equals("same-origin") && !site.equals("none")) {
        return Optional.of("cross-site request refused (Sec-Fetch-Site: " + site + ")");
      }
    }
    if (origin.isPresent()) {
      String o = origin.get();
      int scheme = o.indexOf("://");
      String authority = scheme < 0 ? "" : o.substring(scheme + 3);
      if (host.isEmpty() || !authority.equalsIgnoreCase(host.get())) {
        return Optional.of("cross-origin request refused: its origin is not this node");
      }
    }
    return Optional.empty();
  }
}
