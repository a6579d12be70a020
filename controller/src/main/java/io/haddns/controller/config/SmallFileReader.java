package io.haddns.controller.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a small file named in the configuration (a key or a hash), relative to the configuration's
 * directory. Problems name the file, never its content.
 */
final class SmallFileReader {
  private static final long MAX_FILE_SIZE = 64 * 1024;

  /** A file as read. */
  record Content(Path file, byte[] bytes) {}

  private final Path baseDir;

  SmallFileReader(Path baseDir) {
    this.baseDir = baseDir;
  }

  Optional<Content> read(YamlValue value) {
    Optional<String> written = value.string();
    if (written.isEmpty()) {
      return Optional.empty();
    }
    Path file;
    try {
      file = baseDir.resolve(written.get().trim()).normalize();
    } catch (InvalidPathException e) {
      value.problem("is not a valid path: " + e.getReason());
      return Optional.empty();
    }
    try {
      if (Files.isDirectory(file)) {
        value.problem("is a directory, not a file (" + file + ")");
        return Optional.empty();
      }
      if (Files.size(file) > MAX_FILE_SIZE) {
        value.problem("is too large (" + file + ")");
        return Optional.empty();
      }
      return Optional.of(new Content(file, Files.readAllBytes(file)));
    } catch (NoSuchFileException e) {
      value.problem("file not found (" + file + ")");
    } catch (AccessDeniedException e) {
      value.problem("cannot be read: permission denied (" + file + ")");
    } catch (IOException e) {
      value.problem("cannot be read (" + file + "): " + e.getClass().getSimpleName());
    }
    return Optional.empty();
  }
}
