package io.haddns.controller.provider.route53;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecord;

/**
 * Packs groups of Route 53 changes into ChangeResourceRecordSets requests within the documented
 * limits: at most 1,000 ResourceRecord elements and 32,000 characters in all Value elements per
 * request, where an UPSERT counts twice for both
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html). A group (an
 * RRset with its owner record) never straddles two requests, and every request also carries the
 * fence changes.
 */
final class ChangeBatches {
  static final int MAX_RECORDS = 1000;
  static final int MAX_CHARS = 32_000;

  /** ResourceRecord elements and Value characters as Route 53 counts them. */
  record Cost(int records, int chars) {
    Cost plus(Cost o) {
      return new Cost(records + o.records, chars + o.chars);
    }

    boolean fits() {
      return records <= MAX_RECORDS && chars <= MAX_CHARS;
    }
  }

  private ChangeBatches() {}

  static Cost cost(Change change) {
    int factor = change.action() == ChangeAction.UPSERT ? 2 : 1;
    List<ResourceRecord> rrs = change.resourceRecordSet().resourceRecords();
    int chars = rrs.stream().mapToInt(r -> r.value().length()).sum();
    return new Cost(rrs.size() * factor, chars * factor);
  }

  static Cost cost(List<Change> changes) {
    return changes.stream().map(ChangeBatches::cost).reduce(new Cost(0, 0), Cost::plus);
  }

  /**
   * Splits {@code groups} (in order) into requests, each starting with {@code perRequest}.
   *
   * @throws IllegalArgumentException if one group with the per-request changes exceeds a limit
   */
  static List<List<Change>> pack(List<List<Change>> groups, List<Change> perRequest) {
    Cost base = cost(perRequest);
    List<List<Change>> out = new ArrayList<>();
    List<Change> current = new ArrayList<>(perRequest);
    Cost used = base;
    for (List<Change> group : groups) {
      Cost g = cost(group);
      if (!base.plus(g).fits()) {
        throw new IllegalArgumentException(
            "change for "
                + group.get(0).resourceRecordSet().name()
                + " alone exceeds Route 53's request limits: "
                + g);
      }
      if (!used.plus(g).fits()) {
        out.add(List.copyOf(current));
        current = new ArrayList<>(perRequest);
        used = base;
      }
      current.addAll(group);
      used = used.plus(g);
    }
    if (current.size() > perRequest.size()) {
      out.add(List.copyOf(current));
    }
    return out;
  }
}
