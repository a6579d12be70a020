package io.haddns.controller.notify;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The human-readable text of a message, for chat and mail receivers: a title line, then one line
 * per notification (the last 20 of a long group, counted), and the event ids for de-duplication.
 */
final class MessageText {
  static final int SHOWN = 20;

  private MessageText() {}

  static String title(List<Notification> batch) {
    Notification last = batch.get(batch.size() - 1);
    String severity = worst(batch).label().toUpperCase(Locale.ROOT);
    if (batch.size() == 1) {
      return "[haddns " + last.cluster() + "] " + severity + " " + last.summary();
    }
    return "[haddns "
        + last.cluster()
        + "] "
        + severity
        + " "
        + batch.size()
        + " "
        + last.kind().label()
        + " events about "
        + last.subject()
        + "; latest: "
        + last.summary();
  }

  static String body(List<Notification> batch) {
    StringBuilder sb = new StringBuilder(title(batch)).append('\n');
    int skipped = Math.max(0, batch.size() - SHOWN);
    if (skipped > 0) {
      sb.append("(").append(skipped).append(" earlier events not shown)\n");
    }
    for (Notification n : batch.subList(skipped, batch.size())) {
      sb.append(n.at()).append(' ').append(n.severity().label()).append(' ').append(n.summary());
      sb.append(" [node ").append(n.node()).append(" epoch ").append(n.epoch()).append("]\n");
    }
    sb.append("event ids: ")
        .append(batch.stream().map(Notification::id).collect(Collectors.joining(" ")));
    return sb.toString();
  }

  static Severity worst(List<Notification> batch) {
    Severity w = Severity.INFO;
    for (Notification n : batch) {
      if (n.severity().compareTo(w) > 0) {
        w = n.severity();
      }
    }
    return w;
  }
}
