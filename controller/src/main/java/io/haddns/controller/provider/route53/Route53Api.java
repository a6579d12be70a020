package io.haddns.controller.provider.route53;

import io.haddns.controller.provider.PermanentProviderException;
import io.haddns.controller.provider.ProviderException;
import io.haddns.controller.provider.RequestPacer;
import io.haddns.controller.provider.TransientProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.ListHostedZonesByNameResponse;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The Route 53 calls haddns makes, each paced by the {@link RequestPacer} and classified by {@link
 * Route53Errors}. {@code InvalidChangeBatch} is reported as {@link Rejected} so the provider can
 * tell a lost fence from a stale view.
 *
 * <p>Threading: one caller at a time; every call blocks for at most the client's call timeout.
 */
final class Route53Api {
  /** Route 53 refused a change batch as a whole (nothing of it was applied). */
  static final class Rejected extends Exception {
    Rejected(String message) {
      super(message, null, false, false);
    }
  }

  private final String zone;
  private final Route53Client client;
  private final RequestPacer pacer;
  private final Route53Errors errors;

  Route53Api(String zone, Route53Client client, RequestPacer pacer) {
    this.zone = zone;
    this.client = client;
    this.pacer = pacer;
    this.errors = new Route53Errors(zone);
  }

  /** The id (without {@code /hostedzone/}) of the one hosted zone named {@code zone}. */
  String findHostedZone() throws ProviderException {
    String fqdn = Route53Records.fqdn(zone);
    ListHostedZonesByNameResponse r =
        call(
            "ListHostedZonesByName",
            () -> client.listHostedZonesByName(b -> b.dnsName(fqdn).maxItems("100")));
    List<HostedZone> matches =
        r.hostedZones().stream()
            .filter(z -> Route53Records.canonical(z.name()).equals(zone))
            .toList();
    if (matches.isEmpty()) {
      throw new PermanentProviderException(
          "route53 zone " + zone + ": no hosted zone of that name is visible to these credentials");
    }
    if (matches.size() > 1) {
      throw new PermanentProviderException(
          "route53 zone "
              + zone
              + ": "
              + matches.size()
              + " hosted zones carry that name (public and private?); set hostedZoneId");
    }
    return stripPrefix(matches.get(0).id());
  }

  /** Every resource record set of the zone, following IsTruncated/NextRecordName. */
  List<ResourceRecordSet> listAll(String zoneId) throws ProviderException {
    List<ResourceRecordSet> out = new ArrayList<>();
    ListResourceRecordSetsRequest.Builder req =
        ListResourceRecordSetsRequest.builder().hostedZoneId(zoneId);
    while (true) {
      ListResourceRecordSetsRequest request = req.build();
      ListResourceRecordSetsResponse page =
          call("ListResourceRecordSets", () -> client.listResourceRecordSets(request));
      out.addAll(page.resourceRecordSets());
      if (!Boolean.TRUE.equals(page.isTruncated())) {
        return out;
      }
      req =
          req.startRecordName(page.nextRecordName())
              .startRecordType(page.nextRecordType())
              .startRecordIdentifier(page.nextRecordIdentifier());
    }
  }

  /** The TXT record set named {@code fqdn}, read alone. */
  Optional<ResourceRecordSet> readTxt(String zoneId, String fqdn) throws ProviderException {
    ListResourceRecordSetsResponse page =
        call(
            "ListResourceRecordSets",
            () ->
                client.listResourceRecordSets(
                    b ->
                        b.hostedZoneId(zoneId)
                            .startRecordName(fqdn)
                            .startRecordType(RRType.TXT)
                            .maxItems("1")));
    String wanted = Route53Records.canonical(fqdn);
    return page.resourceRecordSets().stream()
        .filter(s -> s.type() == RRType.TXT && Route53Records.canonical(s.name()).equals(wanted))
        .findFirst();
  }

  /** Sends one atomic change batch. */
  ChangeInfo change(String zoneId, List<Change> changes) throws ProviderException, Rejected {
    try {
      pacer.acquire();
      ChangeResourceRecordSetsResponse r =
          client.changeResourceRecordSets(
              b -> b.hostedZoneId(zoneId).changeBatch(c -> c.changes(changes)));
      ChangeInfo info = r.changeInfo();
      if (info == null || info.id() == null || info.status() == null) {
        // The SDK reads any 2xx body it cannot map as an empty answer: an HTML page from a
        // proxy or captive portal would otherwise pass for an accepted batch.
        throw new PermanentProviderException(
            "route53 zone "
                + zone
                + ": ChangeResourceRecordSets answered HTTP "
                + r.sdkHttpResponse().statusCode()
                + " ("
                + r.sdkHttpResponse().firstMatchingHeader("Content-Type").orElse("no content type")
                + ") without a ChangeInfo: not Route 53's answer (check endpoint and proxies);"
                + " whether the batch was applied is unknown");
      }
      return info;
    } catch (InvalidChangeBatchException e) {
      throw new Rejected(String.valueOf(e.awsErrorDetails().errorMessage()));
    } catch (SdkException e) {
      if (Route53Errors.code(e).filter("InvalidChangeBatch"::equals).isPresent()) {
        throw new Rejected(String.valueOf(e.getMessage()));
      }
      Optional<String> messages = Route53Errors.invalidChangeBatchBody(e);
      if (messages.isPresent()) {
        throw new Rejected(messages.get());
      }
      throw errors.classify("ChangeResourceRecordSets", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted("ChangeResourceRecordSets");
    }
  }

  ChangeStatus changeStatus(String changeId) throws ProviderException {
    String id = stripPrefix(changeId);
    return call("GetChange", () -> client.getChange(b -> b.id(id)).changeInfo().status());
  }

  void close() {
    client.close();
  }

  private <T> T call(String operation, Supplier<T> call) throws ProviderException {
    try {
      pacer.acquire();
      return call.get();
    } catch (SdkException e) {
      throw errors.classify(operation, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(operation);
    }
  }

  private TransientProviderException interrupted(String operation) {
    return new TransientProviderException(
        "route53 zone " + zone + ": interrupted before " + operation);
  }

  static String stripPrefix(String id) {
    int slash = id.lastIndexOf('/');
    return slash < 0 ? id : id.substring(slash + 1);
  }
}
