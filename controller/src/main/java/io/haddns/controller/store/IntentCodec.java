package io.haddns.controller.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * JSON forms of operators' intents, readable with {@code zkCli get}; unknown fields are ignored on
 * read (rolling upgrades).
 */
final class IntentCodec {
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  record OverrideJson(
      String line, String state, String reason, String by, String at, String until) {}

  record PauseJson(String zone, String reason, String by, String at) {}

  record StepDownJson(String id, long fromEpoch, String to, String by, String at) {}

  byte[] encode(LineOverride o) {
    return write(
        new OverrideJson(
            o.line(),
            o.forced().label(),
            o.reason(),
            o.by(),
            o.at().toString(),
            o.until().map(Instant::toString).orElse(null)));
  }

  LineOverride decodeOverride(byte[] data) {
    OverrideJson j = read(data, OverrideJson.class);
    return new LineOverride(
        j.line(),
        LineOverride.Forced.valueOf(j.state().toUpperCase(Locale.ROOT)),
        j.reason(),
        j.by(),
        Instant.parse(j.at()),
        Optional.ofNullable(j.until()).map(Instant::parse));
  }

  byte[] encode(ZonePause p) {
    return write(new PauseJson(p.zone(), p.reason(), p.by(), p.at().toString()));
  }

  ZonePause decodePause(byte[] data) {
    PauseJson j = read(data, PauseJson.class);
    return new ZonePause(j.zone(), j.reason(), j.by(), Instant.parse(j.at()));
  }

  byte[] encode(StepDownRequest r) {
    return write(
        new StepDownJson(r.id(), r.fromEpoch(), r.to().orElse(null), r.by(), r.at().toString()));
  }

  StepDownRequest decodeStepDown(byte[] data) {
    StepDownJson j = read(data, StepDownJson.class);
    return new StepDownRequest(
        j.id(), j.fromEpoch(), Optional.ofNullable(j.to()), j.by(), Instant.parse(j.at()));
  }

  private byte[] write(Object value) {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private <T> T read(byte[] data, Class<T> type) {
    try {
      T value = json.readValue(data, type);
      if (value == null) {
        throw new IllegalArgumentException("empty intent node");
      }
      return value;
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable intent: " + e.getMessage(), e);
    }
  }
}
