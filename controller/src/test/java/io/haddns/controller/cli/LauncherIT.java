package io.haddns.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.haddns.controller.testing.LauncherDefaults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root launcher {@code ./haddns}, copied into a project layout of its own and run with a PATH
 * that holds no Java and a directory of fake Java homes: which Java it picks, when it builds (a
 * fake {@code mvnw} records it), and what it says when it cannot.
 */
class LauncherIT {
  private static final Instant JAR_TIME = Instant.now().minus(Duration.ofHours(1));

  /** The JVM flags the launcher uses when {@code HADDNS_JAVA_OPTS} is not set. */
  private static final String DEFAULT_FLAGS = String.join(" ", LauncherDefaults.JVM_FLAGS);

  @TempDir Path dir;
  private Path root;
  private Path jvms;
  private Path jar;

  @BeforeEach
  void layout() throws IOException {
    root = dir.resolve("project");
    jvms = dir.resolve("jvms");
    Files.createDirectories(jvms);
    Path launcher = Path.of(System.getProperty("user.dir")).resolve("../haddns").normalize();
    Files.createDirectories(root);
    Files.copy(launcher, root.resolve("haddns"));
    executable(
        root.resolve("mvnw"),
        "echo \"mvnw $*\" >> \"$(dirname \"$0\")/build.log\"; touch controller/target/haddns.jar");
    for (String source :
        List.of(
            "pom.xml",
            "probe/pom.xml",
            "probe/src/main/java/P.java",
            "controller/pom.xml",
            "controller/src/main/java/C.java",
            "controller/src/main/resources/logback.xml",
            "controller/src/main/resources-filtered/haddns-version.properties")) {
      file(source, JAR_TIME.minus(Duration.ofMinutes(5)));
    }
    jar = file("controller/target/haddns.jar", JAR_TIME);
    // Build outputs newer than the jar are not sources.
    file("controller/target/classes/C.class", Instant.now());
    file("probe/target/classes/P.class", Instant.now());
  }

  @Test
  void freshJarRunsWithAJreAndBuildsNothing() throws Exception {
    Path jre = javaHome("jre-21", 21, false);

    Result r = launch(Map.of("JAVA_HOME", jre.toString()), "ctl", "status");

    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout().strip())
        .isEqualTo("fake-java " + DEFAULT_FLAGS + " -jar " + jar + " ctl status from " + jre);
    assertThat(root.resolve("build.log")).doesNotExist();
  }

  @Test
  void defaultJvmFlagsAreAcceptedByTheJavaRunningTheTests() throws Exception {
    Path jre = javaHome("jre-21", 21, false);
    Result r = launch(Map.of("JAVA_HOME", jre.toString()), "ctl", "status");
    String flags = r.stdout().strip().replaceFirst("^fake-java (.*) -jar .*$", "$1");
    assertThat(flags).isEqualTo(DEFAULT_FLAGS);

    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(flags.split(" ")));
    command.add("-version");
    Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(java.exitValue()).as(output).isZero();
  }

  @Test
  void noJavaAtAllIsAClearErrorWithNonZeroExit() throws Exception {
    javaHome("jdk-17", 17, true);

    Result r = launch(Map.of(), "ctl", "status");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.stderr())
        .contains("haddns: no Java 21 or newer found (looked at $JAVA_HOME, " + jvms + "/*")
        .contains("a JRE suffices");
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void editedFilteredResourceMakesTheJarStaleAndAJreCannotBuildIt() throws Exception {
    Path jre = javaHome("jre-21", 21, false);
    file("controller/src/main/resources-filtered/haddns-version.properties", Instant.now());

    Result r = launch(Map.of("JAVA_HOME", jre.toString()), "ctl", "status");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.stderr())
        .contains("the controller jar must be built")
        .contains("needs a JDK 21 or newer with javac; none found");
    assertThat(root.resolve("build.log")).doesNotExist();
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void editedFilteredResourceRebuildsWithAJdkFoundInTheJvmDirectory() throws Exception {
    javaHome("jre-25", 25, false);
    Path jdk = javaHome("jdk-21", 21, true);
    file("controller/src/main/resources-filtered/haddns-version.properties", Instant.now());

    Result r = launch(Map.of(), "--version");

    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stderr()).contains("haddns: building the controller");
    assertThat(Files.readString(root.resolve("build.log")))
        .contains("mvnw -q -B -DskipTests -Dspotless.check.skip=true -pl controller -am package");
    assertThat(r.stdout().strip())
        .isEqualTo("fake-java " + DEFAULT_FLAGS + " -jar " + jar + " --version from " + jdk);
  }

  @Test
  void everyKindOfSourceMakesTheJarStale() throws Exception {
    Path jdk = javaHome("jdk-21", 21, true);
    for (String source :
        List.of(
            "probe/src/main/java/P.java",
            "controller/src/main/resources/logback.xml",
            "controller/pom.xml")) {
      Files.deleteIfExists(root.resolve("build.log"));
      Files.setLastModifiedTime(jar, FileTime.from(JAR_TIME));
      file(source, Instant.now());

      Result r = launch(Map.of("JAVA_HOME", jdk.toString()), "--version");

      assertThat(r.exit()).as(r.stderr()).isZero();
      assertThat(root.resolve("build.log")).as(source).exists();
      file(source, JAR_TIME.minus(Duration.ofMinutes(5)));
    }
  }

  @Test
  void passesTheUnsafeMemoryAccessFlagOnlyToJavaReleasesThatKnowIt() throws Exception {
    for (int major : List.of(21, 22, 23, 24, 25)) {
      Path jre = javaHome("jre-" + major, major, false);

      Result r = launch(Map.of("JAVA_HOME", jre.toString()), "--version");

      assertThat(r.exit()).as(r.stderr()).isZero();
      String flags = major >= 23 ? " --sun-misc-unsafe-memory-access=allow" : "";
      assertThat(r.stdout().strip())
          .as("Java %d", major)
          .isEqualTo(
              "fake-java " + DEFAULT_FLAGS + flags + " -jar " + jar + " --version from " + jre);
    }
  }

  @Test
  void readsTheJavaReleaseFromTheReleaseFileWhenThereIsOne() throws Exception {
    // The release file says 22, running it would say 25: the file decides, and 22 gets no flag.
    Path jre = javaHome("jre-22-file", 25, false);
    Files.writeString(jre.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"22.0.2\"\n");

    Result r =
        launch(Map.of("JAVA_HOME", jre.toString(), "HADDNS_JAVA_OPTS", "-Xmx64m"), "ctl", "status");

    assertThat(r.exit()).as(r.stderr()).isZero();
    assertThat(r.stdout().strip())
        .isEqualTo("fake-java -Xmx64m -jar " + jar + " ctl status from " + jre);
  }

  /**
   * Removes the links to the system's tools before JUnit cleans up the directory, which otherwise
   * warns about every link that points outside it.
   */
  @AfterEach
  void unlinkTools() throws IOException {
    Path tools = dir.resolve("tools");
    if (Files.isDirectory(tools)) {
      try (var links = Files.list(tools)) {
        for (Path link : links.toList()) {
          Files.deleteIfExists(link);
        }
      }
    }
  }

  private record Result(int exit, String stdout, String stderr) {}

  private Result launch(Map<String, String> env, String... args) throws Exception {
    Path tools = dir.resolve("tools");
    if (!Files.exists(tools)) {
      Files.createDirectories(tools);
      for (String tool : List.of("bash", "dirname", "readlink", "sed", "head", "find", "touch")) {
        Path found =
            Files.exists(Path.of("/usr/bin", tool))
                ? Path.of("/usr/bin", tool)
                : Path.of("/bin", tool);
        Files.createSymbolicLink(tools.resolve(tool), found.toRealPath());
      }
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(root.resolve("haddns").toString()),
                        java.util.stream.Stream.of(args))
                    .toList())
            .directory(dir.toFile())
            .redirectOutput(dir.resolve("out").toFile())
            .redirectError(dir.resolve("err").toFile());
    pb.environment().clear();
    pb.environment().put("PATH", tools.toString());
    pb.environment().put("HADDNS_JVM_DIRS", jvms.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("launcher finished").isTrue();
    return new Result(
        p.exitValue(),
        Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
  }

  /** A Java home whose {@code java} reports {@code major} and echoes how it was run. */
  private Path javaHome(String name, int major, boolean withJavac) throws IOException {
    Path home = jvms.resolve(name);
    executable(
        home.resolve("bin/java"),
        "if [ \"$1\" = -XshowSettings:properties ]; then\n"
            + "  echo \"    java.specification.version = "
            + major
            + "\" >&2; exit 0\n"
            + "fi\n"
            + "echo \"fake-java $* from $JAVA_HOME\"");
    if (withJavac) {
      executable(home.resolve("bin/javac"), "exit 0");
    }
    return home;
  }

  private Path file(String relative, Instant mtime) throws IOException {
    Path f = root.resolve(relative);
    Files.createDirectories(f.getParent());
    if (!Files.exists(f)) {
      Files.writeString(f, relative + "\n");
    }
    Files.setLastModifiedTime(f, FileTime.from(mtime));
    return f;
  }

  private static void executable(Path file, String body) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
