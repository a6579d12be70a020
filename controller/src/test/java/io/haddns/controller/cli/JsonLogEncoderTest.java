package io.haddns.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class JsonLogEncoderTest {
  private final LoggerContext context = new LoggerContext();

  {
    context.setMDCAdapter(new LogbackMDCAdapter());
  }

  @Test
  void writesOneJsonObjectPerLineWithTheStructuredFields() throws Exception {
    context.putProperty("node", "node-1");
    context.getMDCAdapter().put("zone", "example.com");
    context.getMDCAdapter().put("epoch", "7");
    context.getMDCAdapter().put("record", "app.example.com/A");
    context.getMDCAdapter().put("request", "5f3a9c1e-4");
    LoggingEvent event = event(Level.INFO, "zone={} applied changes={}", null, "example.com", 2);
    event.addKeyValuePair(new KeyValuePair("record", "app.example.com"));

    String line = encode(event);
    JsonNode n = new ObjectMapper().readTree(line);

    assertThat(line).endsWith("\n").doesNotContain("\n{");
    assertThat(n.get("timestamp").isNumber()).isTrue();
    assertThat(n.get("level").asText()).isEqualTo("INFO");
    assertThat(n.get("loggerName").asText()).isEqualTo("io.haddns.controller.reconcile.Reconciler");
    assertThat(n.get("threadName").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(n.get("formattedMessage").asText()).isEqualTo("zone=example.com applied changes=2");
    assertThat(n.at("/context/properties/node").asText()).isEqualTo("node-1");
    assertThat(n.at("/mdc/zone").asText()).isEqualTo("example.com");
    assertThat(n.at("/mdc/epoch").asText()).isEqualTo("7");
    assertThat(n.at("/mdc/record").asText()).isEqualTo("app.example.com/A");
    assertThat(n.at("/mdc/request").asText()).isEqualTo("5f3a9c1e-4");
    assertThat(n.get("kvpList").toString()).contains("\"record\"", "\"app.example.com\"");
    assertThat(n.has("message")).as("the template repeats formattedMessage").isFalse();
    assertThat(n.has("arguments")).as("raw arguments repeat formattedMessage").isFalse();
  }

  @Test
  void keepsAStackTraceInsideItsOneLine() throws Exception {
    LoggingEvent event =
        event(
            Level.ERROR,
            "zone={} reconcile failed unexpectedly",
            new IllegalStateException("boom\nsecond line"),
            "example.com");

    String line = encode(event);

    assertThat(line.strip()).doesNotContain("\n");
    assertThat(new ObjectMapper().readTree(line).at("/throwable/message").asText())
        .isEqualTo("boom\nsecond line");
  }

  private LoggingEvent event(Level level, String template, Throwable t, Object... args) {
    return new LoggingEvent(
        JsonLogEncoderTest.class.getName(),
        context.getLogger("io.haddns.controller.reconcile.Reconciler"),
        level,
        template,
        t,
        args);
  }

  private String encode(LoggingEvent event) {
    JsonLogEncoder encoder = new JsonLogEncoder();
    encoder.setContext(context);
    encoder.start();
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }
}
