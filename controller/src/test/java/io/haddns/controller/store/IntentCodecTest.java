package io.haddns.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IntentCodecTest {
  private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");
  private final IntentCodec codec = new IntentCodec();

  @Test
  void roundTripsOverridesPausesAndStepDownRequestsAsReadableJson() {
    LineOverride timed =
        new LineOverride(
            "a",
            LineOverride.Forced.DOWN,
            "ISP work",
            "alice",
            AT,
            Optional.of(AT.plusSeconds(60)));
    LineOverride open =
        new LineOverride("b", LineOverride.Forced.UP, "", "bob", AT, Optional.empty());
    ZonePause pause = new ZonePause("example.com", "migration", "carol", AT);
    StepDownRequest stepDown = new StepDownRequest("r1", 7, Optional.of("node-2"), "dave", AT);

    assertThat(codec.decodeOverride(codec.encode(timed))).isEqualTo(timed);
    assertThat(codec.decodeOverride(codec.encode(open))).isEqualTo(open);
    assertThat(codec.decodePause(codec.encode(pause))).isEqualTo(pause);
    assertThat(codec.decodeStepDown(codec.encode(stepDown))).isEqualTo(stepDown);
    assertThat(new String(codec.encode(timed), StandardCharsets.UTF_8))
        .contains("\"state\":\"down\"", "\"until\":\"2026-03-01T10:01:00Z\"");
  }

  @Test
  void ignoresFieldsANewerVersionAddedAndRefusesUnreadableContent() {
    byte[] newer =
        ("{\"zone\":\"example.com\",\"reason\":\"r\",\"by\":\"x\",\"at\":\"2026-03-01T10:00:00Z\","
                + "\"scope\":\"writes\"}")
            .getBytes(StandardCharsets.UTF_8);

    assertThat(codec.decodePause(newer).zone()).isEqualTo("example.com");
    assertThatThrownBy(() -> codec.decodeOverride("{".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
