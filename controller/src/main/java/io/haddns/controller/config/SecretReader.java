package io.haddns.controller.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads base64 secrets from files (relative to the configuration's directory) or environment
 * variables. Problems name the source, never the content.
 */
final class SecretReader {
  private static final long MAX_FILE_SIZE = 64 * 1024;
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final Map<String, String> environment;
  private final Path baseDir;

  SecretReader(Map<String, String> environment, Path baseDir) {
    this.environment = environment;
    this.baseDir = baseDir;
  }

  Optional<Secret> fromFile(YamlValue value) {
    return readFile(value).flatMap(c -> decode(value, c.text(), c.source()));
  }

  Optional<Secret> fromEnv(YamlValue value) {
    return readEnv(value).flatMap(c -> decode(value, c.text(), c.source()));
  }

  /** A secret kept as text (an API token, a key id): surrounding whitespace dropped, UTF-8. */
  Optional<Secret> textFromFile(YamlValue value) {
    return readFile(value).flatMap(c -> text(value, c));
  }

  /** Like {@link #textFromFile}, from an environment variable. */
  Optional<Secret> textFromEnv(YamlValue value) {
    return readEnv(value).flatMap(c -> text(value, c));
  }

  private record Content(String text, String source) {}

  private static Optional<Secret> text(YamlValue value, Content content) {
    String text = content.text().strip();
    if (text.isEmpty()) {
      value.problem("the secret in " + content.source() + " is empty");
      return Optional.empty();
    }
    if (WHITESPACE.matcher(text).find()) {
      value.problem("the secret in " + content.source() + " must be a single word");
      return Optional.empty();
    }
    return Optional.of(new Secret(text.getBytes(StandardCharsets.UTF_8), content.source()));
  }

  private Optional<Content> readFile(YamlValue value) {
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
    String source = "file " + file;
    byte[] content;
    try {
      if (Files.isDirectory(file)) {
        value.problem("is a directory, not a file (" + file + ")");
        return Optional.empty();
      }
      if (Files.size(file) > MAX_FILE_SIZE) {
        value.problem("is too large for a secret (" + file + ")");
        return Optional.empty();
      }
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      value.problem("file not found (" + file + ")");
      return Optional.empty();
    } catch (AccessDeniedException e) {
      value.problem("cannot be read: permission denied (" + file + ")");
      return Optional.empty();
    } catch (IOException e) {
      value.problem("cannot be read (" + file + "): " + e.getClass().getSimpleName());
      return Optional.empty();
    }
    return Optional.of(new Content(new String(content, StandardCharsets.ISO_8859_1), source));
  }

  private Optional<Content> readEnv(YamlValue value) {
    Optional<String> name = value.string();
    if (name.isEmpty()) {
      return Optional.empty();
    }
    if (!ENV_NAME.matcher(name.get()).matches()) {
      // Not echoed: a secret pasted here by mistake must not reach the logs.
      value.problemHidingValue("is not a valid environment variable name");
      return Optional.empty();
    }
    String content = environment.get(name.get());
    if (content == null) {
      value.problem("environment variable " + name.get() + " is not set");
      return Optional.empty();
    }
    return Optional.of(new Content(content, "environment variable " + name.get()));
  }

  private static Optional<Secret> decode(YamlValue value, String content, String source) {
    // Whitespace is dropped: `openssl rand -base64 64` wraps its output over several lines.
    String base64 = WHITESPACE.matcher(content).replaceAll("");
    if (base64.isEmpty()) {
      value.problem("the secret in " + source + " is empty");
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      value.problem(
          "the secret in "
              + source
              + " is not valid base64 (it must hold only the base64 key, not a BIND key file)");
      return Optional.empty();
    }
    if (bytes.length == 0) {
      value.problem("the secret in " + source + " is empty");
      return Optional.empty();
    }
    return Optional.of(new Secret(bytes, source));
  }
}
