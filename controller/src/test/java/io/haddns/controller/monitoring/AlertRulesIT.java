package io.haddns.controller.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped alert rules ({@code deploy/prometheus}): valid for Prometheus' own {@code promtool},
 * their unit tests pass, every alert is tested firing and not firing, and every runbook link
 * resolves to a section of docs/operations.md. Runs the real {@code promtool}.
 */
class AlertRulesIT {
  static final Path DIR = Path.of("..", "deploy", "prometheus");
  static final Path RULES = DIR.resolve("haddns-rules.yaml");
  private static final String RUNBOOKS = "https://haddns.example/docs/operations.md#";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void passesPromtoolsRuleCheckAndItsOwnUnitTests() throws Exception {
    PromtoolRun check = PromtoolRun.run(DIR, "check", "rules", "haddns-rules.yaml");
    PromtoolRun test = PromtoolRun.run(DIR, "test", "rules", "haddns-rules.test.yaml");

    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: " + alerts().size() + " rules found");
    assertThat(test.exitCode()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
  }

  @Test
  void testsEveryAlertBothFiringAndNotFiring() throws Exception {
    Set<String> firing = new HashSet<>();
    Set<String> silent = new HashSet<>();
    for (JsonNode t : YAML.readTree(DIR.resolve("haddns-rules.test.yaml").toFile()).get("tests")) {
      for (JsonNode a : t.path("alert_rule_test")) {
        boolean fires = a.path("exp_alerts").size() > 0;
        (fires ? firing : silent).add(a.get("alertname").asText());
      }
    }

    assertThat(firing).containsExactlyInAnyOrderElementsOf(alerts());
    assertThat(silent).containsExactlyInAnyOrderElementsOf(alerts());
  }

  @Test
  void linksEveryAlertToItsRunbookSectionInTheOperationsGuide() throws Exception {
    Set<String> anchors = new HashSet<>();
    Matcher h =
        Pattern.compile("(?m)^#+ (.+)$")
            .matcher(Files.readString(Path.of("..", "docs", "operations.md")));
    while (h.find()) {
      anchors.add(slug(h.group(1)));
    }

    for (JsonNode rule : rules()) {
      String name = rule.get("alert").asText();
      String url = rule.at("/annotations/runbook_url").asText();
      assertThat(url).as(name).isEqualTo(RUNBOOKS + name.toLowerCase(Locale.ROOT));
      assertThat(anchors).as(name).contains(url.substring(RUNBOOKS.length()));
      assertThat(rule.at("/annotations/summary").asText()).as(name).isNotBlank();
      assertThat(rule.at("/labels/severity").asText()).as(name).isIn("warning", "critical");
    }
  }

  /** GitHub's heading anchor: lower case, punctuation dropped, spaces as dashes. */
  static String slug(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
  }

  static List<JsonNode> rules() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode g : YAML.readTree(RULES.toFile()).get("groups")) {
      g.get("rules").forEach(out::add);
    }
    return out;
  }

  static List<String> alerts() throws Exception {
    return rules().stream().map(r -> r.get("alert").asText()).toList();
  }
}
