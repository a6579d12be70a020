package io.haddns.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.agent.report.IpAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EchoBodyParserTest {
  private final EchoBodyParser parser = new EchoBodyParser();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.4.4",
        "8.8.4.4\n",
        "  8.8.4.4\r\n",
        "{\"ip\":\"8.8.4.4\"}",
        "{\"ip\": \"8.8.4.4\", \"country\": \"XX\"}\n"
      })
  void acceptsOneLiteralOrSmallJson(String body) {
    assertThat(parser.parse(body)).isEqualTo(IpAddress.parse("8.8.4.4"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   \n",
        "<html><body>Your IP is 8.8.4.4</body></html>",
        "8.8.4.4 8.8.8.8",
        "8.8.4.4\n8.8.8.8",
        "8.8.4.4,8.8.8.8",
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n",
        "Current IP Address: 8.8.4.4",
        "{\"ip\": 134744072}",
        "{\"address\": \"8.8.4.4\"}",
        "{\"ip\": \"8.8.4.4\"",
        "[\"8.8.4.4\"]",
        "8.8.4.4.",
        "dns.google",
        "\u0000\u0001garbage",
        "{\"ip\": \"8.8.4.4\"} trailing",
        "{\"ip\": \"8.8.4.4\"}}",
        "{\"ip\": \"8.8.4.4\"}{\"ip\": \"1.1.1.1\"}",
        "{\"ip\": \"8.8.4.4\"}\n<script>x</script>",
        "{\"ip\": \"8.8.4.4\", \"ip\": \"1.1.1.1\"}",
        "{\"ip\": \"8.8.4.4\", \"ip\": \"8.8.4.4\"}",
        "{\"ip\": \"8.8.4.4\" /* comment */}",
        "{'ip': '8.8.4.4'}",
        "{ip: \"8.8.4.4\"}",
        "{\"ip\": \"8.8.4.4\",}",
        "{\"ip\": {\"ip\": \"8.8.4.4\"}}",
        "{\"ip\": [\"8.8.4.4\"]}",
        "{\"ip\": \"8.8.4.4 8.8.8.8\"}",
        "{\"ip\": \"\"}",
      })
  void refusesHostileBodies(String body) {
    assertThatThrownBy(() -> parser.parse(body)).isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void refusesAHugeBody() {
    assertThatThrownBy(() -> parser.parse(" ".repeat(5000) + "8.8.4.4"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
