package io.haddns.controller.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class YamlTreeReaderTest {

  @Test
  void readsADocumentOfTenMebibytesAsTheConfigurationOf100000RecordsIs() throws Exception {
    StringBuilder yaml = new StringBuilder("records:\n");
    String record =
        "  - { name: r%06d.z0.example.test, type: A, policy: failover, lines: [a, b] }\n";
    int count = 0;
    while (yaml.length() < 10 * 1024 * 1024) {
      yaml.append(String.format(record, count++));
    }
    Problems problems = new Problems();

    JsonNode root = new YamlTreeReader().read(yaml.toString(), problems).orElseThrow();

    assertThat(root.get("records").size()).isEqualTo(count);
    assertThat(problems.isEmpty()).isTrue();
  }
}
