package io.haddns.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haddns.agent.report.IpAddress;
import org.junit.jupiter.api.Test;

class MetadataBodyParserTest {

  @Test
  void acceptsOneLiteralWithSurroundingWhitespace() {
    assertThat(MetadataBodyParser.single("  8.8.4.4\r\n")).isEqualTo(IpAddress.parse("8.8.4.4"));
    assertThat(MetadataBodyParser.single("2001:4860:4860::8844"))
        .isEqualTo(IpAddress.parse("2001:4860:4860::8844"));
  }

  @Test
  void refusesAnHtmlPage() {
    assertThatThrownBy(
            () -> MetadataBodyParser.single("<html><body>8.8.4.4 — please log in</body></html>"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesTwoAddressesForASingleValueItem() {
    assertThatThrownBy(() -> MetadataBodyParser.single("8.8.4.4 8.8.8.8"))
        .hasMessageContaining("more than one");
    assertThatThrownBy(() -> MetadataBodyParser.single("8.8.4.4\n8.8.8.8"))
        .hasMessageContaining("more than one");
  }

  @Test
  void refusesAHeaderBlockInTheBody() {
    assertThatThrownBy(
            () -> MetadataBodyParser.single("HTTP/1.1 200 OK\r\nX-Ip: 8.8.4.4\r\n\r\n8.8.4.4"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAHugeBodyEvenIfItIsOnlyPadding() {
    String body = " ".repeat(MetadataBodyParser.MAX_BODY) + "8.8.4.4";
    assertThatThrownBy(() -> MetadataBodyParser.single(body)).hasMessageContaining("longer");
  }

  @Test
  void refusesEmptyJsonAndHostNames() {
    assertThatThrownBy(() -> MetadataBodyParser.single(" \n")).hasMessageContaining("empty");
    assertThatThrownBy(() -> MetadataBodyParser.single("{\"ip\":\"8.8.4.4\"}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MetadataBodyParser.single("ec2-8-8-4-4.compute.amazonaws.com"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MetadataBodyParser.single("008.008.004.004"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsAListOneAddressPerLine() {
    assertThat(MetadataBodyParser.list("2001:4860:4860::8844\n2001:4860:4860::8888\n"))
        .containsExactly(
            IpAddress.parse("2001:4860:4860::8844"), IpAddress.parse("2001:4860:4860::8888"));
  }

  @Test
  void aSingleBadLineSpoilsTheWholeList() {
    assertThatThrownBy(() -> MetadataBodyParser.list("2001:4860:4860::8844\n<html>"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MetadataBodyParser.list("2001:4860:4860::8844 2001:4860:4860::8888"))
        .hasMessageContaining("more than one");
  }
}
