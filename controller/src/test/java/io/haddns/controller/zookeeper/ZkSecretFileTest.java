package io.haddns.controller.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZkSecretFileTest {
  @TempDir Path dir;

  @Test
  void makesA32ByteSecretReadableByItsOwnerOnlyAndReusesIt() throws Exception {
    ZkSecretFile file = new ZkSecretFile(dir.resolve("digest.secret"), new SecureRandom());

    String first = file.loadOrCreate();

    assertThat(Base64.getDecoder().decode(first)).hasSize(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.file())))
        .isEqualTo("rw-------");
    assertThat(new ZkSecretFile(file.file(), new SecureRandom()).loadOrCreate()).isEqualTo(first);
    try (var left = Files.list(dir)) {
      assertThat(left).containsExactly(file.file());
    }
  }

  @Test
  void refusesASecretFileThatGroupOrOthersMayReadNamingItButNotTheSecret() throws Exception {
    Path path = dir.resolve("digest.secret");
    Files.writeString(path, "c2VjcmV0LW9mLXRoZS1jbHVzdGVy\n");
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> new ZkSecretFile(path, new SecureRandom()).loadOrCreate())
        .isInstanceOf(IOException.class)
        .hasMessageContaining(path.toString())
        .hasMessageContaining("rw-r--r--")
        .hasMessageContaining("chmod 600")
        .hasMessageNotContaining("c2VjcmV0LW9mLXRoZS1jbHVzdGVy");
  }

  @Test
  void refusesASymbolicLinkInsteadOfFollowingIt() throws Exception {
    Path target = Files.writeString(dir.resolve("elsewhere"), "x");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    Path link = Files.createSymbolicLink(dir.resolve("digest.secret"), target);

    assertThatThrownBy(() -> new ZkSecretFile(link, new SecureRandom()).loadOrCreate())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a regular file");
  }

  @Test
  void pointsNodesAtTheFileInTheirConfiguration() {
    ZkSecretFile file =
        new ZkSecretFile(Path.of("/var/lib/it's/digest.secret"), new SecureRandom());

    assertThat(file.clusterAuthYaml())
        .isEqualTo("{ scheme: digest, user: haddns, secretFile: '/var/lib/it''s/digest.secret' }");
  }
}
