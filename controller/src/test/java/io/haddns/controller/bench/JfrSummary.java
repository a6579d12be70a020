package io.haddns.controller.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Execution samples of a JFR recording grouped by where they ran: Bouncy Castle's curve code is
 * "Ed25519 verification", otherwise the innermost haddns class of the stack, otherwise the package
 * of the innermost frame (Netty, the ZooKeeper client, the JDK).
 */
final class JfrSummary {
  private JfrSummary() {}

  /** Markdown lines, most samples first: {@code - 41.2 % (120) Ed25519 verification}. */
  static List<String> lines(Path recording, int top) throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    int total = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      counts.merge(group(e.getStackTrace().getFrames()), 1, Integer::sum);
      total++;
    }
    int all = total;
    List<String> lines =
        counts.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .limit(top)
            .map(
                g ->
                    String.format(
                        Locale.ROOT,
                        "- %.1f %% (%d) %s",
                        100.0 * g.getValue() / all,
                        g.getValue(),
                        g.getKey()))
            .toList();
    return total == 0
        ? List.of("- no execution samples")
        : java.util.stream.Stream.concat(
                java.util.stream.Stream.of("- " + total + " execution samples"), lines.stream())
            .toList();
  }

  private static String group(List<RecordedFrame> frames) {
    String innermostHaddns = null;
    for (RecordedFrame f : frames) {
      String type = f.getMethod().getType().getName();
      if (type.startsWith("org.bouncycastle.math.ec.")) {
        return "Ed25519 verification (Bouncy Castle)";
      }
      if (innermostHaddns == null && type.startsWith("io.haddns.")) {
        innermostHaddns = type.substring(type.lastIndexOf('.') + 1).replaceAll("\\$.*", "");
      }
    }
    if (innermostHaddns != null) {
      return "haddns " + innermostHaddns;
    }
    if (frames.isEmpty()) {
      return "(no frames)";
    }
    String type = frames.get(0).getMethod().getType().getName();
    String[] parts = type.split("\\.");
    return String.join(".", java.util.Arrays.copyOf(parts, Math.min(3, parts.length - 1)));
  }
}
