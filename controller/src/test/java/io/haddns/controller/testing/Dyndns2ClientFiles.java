package io.haddns.controller.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Configuration files and command lines for the real dyndns2 clients the tests run (ddclient,
 * inadyn): one run each, in the foreground, verbose, with their state kept in the test's directory.
 */
public final class Dyndns2ClientFiles {
  private Dyndns2ClientFiles() {}

  /** Writes {@code lines} to {@code conf}, readable by the owner only (both clients insist). */
  public static Path writePrivate(Path conf, String... lines) throws IOException {
    Files.writeString(conf, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
    return conf;
  }

  /** ddclient's arguments for one update with {@code conf}, its cache under {@code dir}. */
  public static List<String> ddclientArgs(Path conf, Path dir) {
    return List.of(
        "-daemon=0",
        "-foreground",
        "-file",
        conf.toString(),
        "-cache",
        dir.resolve("ddclient.cache").toString(),
        "-verbose",
        "-noquiet");
  }

  /**
   * inadyn's arguments for one forced update with {@code conf}, its cache and pid file in {@code
   * dir}.
   */
  public static List<String> inadynArgs(Path conf, Path dir, String cacheDirName) {
    return List.of(
        "--once",
        "--foreground",
        "--force",
        "-f",
        conf.toString(),
        "--cache-dir=" + dir.resolve(cacheDirName),
        "-P",
        dir.resolve("inadyn.pid").toString(),
        "-l",
        "debug");
  }
}
