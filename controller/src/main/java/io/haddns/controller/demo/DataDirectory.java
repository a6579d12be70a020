package io.haddns.controller.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removal of the demo's temporary data directory once everything in it has stopped. */
public final class DataDirectory {
  private DataDirectory() {}

  /**
   * Deletes {@code dir} and everything under it; a file that cannot be deleted is left, and its
   * directory with it.
   */
  public static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(DataDirectory::deleteOne);
    } catch (IOException | UncheckedIOException e) {
      // Best effort: what stays behind is only a temporary directory.
    }
  }

  private static void deleteOne(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // A non-empty parent then stays too; see delete.
    }
  }
}
