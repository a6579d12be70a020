package io.haddns.controller.zookeeper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The digest secret of an embedded ZooKeeper's clients: 32 random bytes, base64, in a file only its
 * owner may read (mode 0600). Made on first start, reused after; a file that group or others may
 * read or write is refused, naming it, rather than trusted. The secret itself is never part of a
 * message.
 */
public final class ZkSecretFile {
  /** The digest user of haddns nodes. */
  public static final String USER = "haddns";

  /** The file's name in the ZooKeeper data directory. */
  public static final String FILE_NAME = "digest.secret";

  private static final int SECRET_BYTES = 32;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final Path file;
  private final SecureRandom random;

  public ZkSecretFile(Path file, SecureRandom random) {
    this.file = file;
    this.random = random;
  }

  public Path file() {
    return file;
  }

  /**
   * The value of {@code cluster.zookeeperAuth} that makes a node authenticate with this file, as a
   * YAML flow mapping: {@code { scheme: digest, user: haddns, secretFile: '/path' }}.
   */
  public String clusterAuthYaml() {
    return "{ scheme: digest, user: "
        + USER
        + ", secretFile: '"
        + file.toAbsolutePath().toString().replace("'", "''")
        + "' }";
  }

  /**
   * Reads the secret, creating the file first when there is none.
   *
   * @throws IOException naming the file: unreadable, empty, or open to group or others
   */
  public String loadOrCreate() throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      try {
        create();
      } catch (FileAlreadyExistsException e) {
        // Made meanwhile by another process: read it like any existing one.
      }
    }
    return read();
  }

  private void create() throws IOException {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    byte[] text =
        (Base64.getEncoder().encodeToString(secret) + "\n").getBytes(StandardCharsets.US_ASCII);
    // Written in full under a temporary name with its final mode, then linked into place: a
    // reader never sees a partial file, and an existing one is never replaced.
    Path tmp =
        Files.createTempFile(
            file.getParent(),
            "." + FILE_NAME,
            ".tmp",
            PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      Files.write(tmp, text);
      Files.createLink(file, tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private String read() throws IOException {
    if (Files.isSymbolicLink(file) || !Files.isRegularFile(file)) {
      throw new IOException("zookeeper secret file " + file + " is not a regular file");
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(mode)) {
      throw new IOException(
          "zookeeper secret file "
              + file
              + " is open to group or others (mode "
              + PosixFilePermissions.toString(mode)
              + "); anyone who reads it can rewrite DNS: run chmod 600 "
              + file
              + " (or remove it to have a new secret made, then update the nodes that use it)");
    }
    String secret = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
    if (secret.isEmpty() || secret.chars().anyMatch(Character::isWhitespace)) {
      throw new IOException(
          "zookeeper secret file " + file + " must hold one word (the base64 secret)");
    }
    return secret;
  }
}
