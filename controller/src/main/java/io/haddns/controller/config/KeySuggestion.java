package io.haddns.controller.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known key an unknown one was probably meant to be ("intervall" → "interval"). */
final class KeySuggestion {
  private KeySuggestion() {}

  static Optional<String> closest(String unknown, Collection<String> known) {
    String u = unknown.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(u, k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    // "c" is one edit from "a", but that is no reason to suggest it.
    return best != null && bestDistance <= allowedDistance(best) && 2 * bestDistance < u.length()
        ? Optional.of(best)
        : Optional.empty();
  }

  private static int allowedDistance(String key) {
    return key.length() <= 4 ? 1 : key.length() <= 8 ? 2 : 3;
  }

  /** Optimal string alignment distance: edits, counting a swap of neighbours as one. */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
