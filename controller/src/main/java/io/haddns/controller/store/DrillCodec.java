package io.haddns.controller.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * JSON form of a drill node, readable with {@code zkCli get}; unknown fields are ignored on read
 * (rolling upgrades). Durations are milliseconds, instants RFC 3339.
 */
final class DrillCodec {
  private final ObjectMapper json =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  record RecordJson(String record, String zone, List<String> before, String visible, String back) {}

  record DrillJson(
      String id,
      String kind,
      String line,
      String zone,
      Long durationMillis,
      long objectiveMillis,
      boolean forced,
      String by,
      String phase,
      long epoch,
      String abortedBy,
      Map<String, String> timeline,
      List<RecordJson> records,
      String verdict,
      List<String> notes) {}

  byte[] encode(Drill d) {
    Map<String, String> timeline = new LinkedHashMap<>();
    d.timeline().forEach((k, v) -> timeline.put(k.label(), v.toString()));
    List<RecordJson> records =
        d.records().stream()
            .map(
                r ->
                    new RecordJson(
                        r.record(),
                        r.zone(),
                        r.before(),
                        r.visible().map(Instant::toString).orElse(null),
                        r.back().map(Instant::toString).orElse(null)))
            .toList();
    try {
      return json.writeValueAsBytes(
          new DrillJson(
              d.id(),
              d.kind().label(),
              d.line().orElse(null),
              d.zone().orElse(null),
              d.duration().map(Duration::toMillis).orElse(null),
              d.objective().toMillis(),
              d.forced(),
              d.by(),
              d.phase().name().toLowerCase(Locale.ROOT),
              d.epoch(),
              d.abortedBy().orElse(null),
              timeline,
              records,
              d.verdict().map(Drill.Verdict::label).orElse(null),
              d.notes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Drill decode(byte[] data) {
    DrillJson j;
    try {
      j = json.readValue(data, DrillJson.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable drill: " + e.getMessage(), e);
    }
    if (j == null) {
      throw new IllegalArgumentException("empty drill node");
    }
    Map<Drill.Step, Instant> timeline = new EnumMap<>(Drill.Step.class);
    if (j.timeline() != null) {
      for (Drill.Step s : Drill.Step.values()) {
        String at = j.timeline().get(s.label());
        if (at != null) {
          timeline.put(s, Instant.parse(at));
        }
      }
    }
    List<Drill.RecordTiming> records = new ArrayList<>();
    if (j.records() != null) {
      for (RecordJson r : j.records()) {
        records.add(
            new Drill.RecordTiming(
                r.record(),
                r.zone(),
                r.before() == null ? List.of() : r.before(),
                Optional.ofNullable(r.visible()).map(Instant::parse),
                Optional.ofNullable(r.back()).map(Instant::parse)));
      }
    }
    return new Drill(
        j.id(),
        DrillKind.parse(j.kind())
            .orElseThrow(() -> new IllegalArgumentException("unknown drill kind " + j.kind())),
        Optional.ofNullable(j.line()),
        Optional.ofNullable(j.zone()),
        Optional.ofNullable(j.durationMillis()).map(Duration::ofMillis),
        Duration.ofMillis(j.objectiveMillis()),
        j.forced(),
        j.by(),
        Drill.Phase.valueOf(j.phase().toUpperCase(Locale.ROOT)),
        j.epoch(),
        Optional.ofNullable(j.abortedBy()),
        timeline,
        records,
        Optional.ofNullable(j.verdict())
            .map(v -> Drill.Verdict.valueOf(v.toUpperCase(Locale.ROOT))),
        j.notes() == null ? List.of() : j.notes());
  }
}
