package io.haddns.dist;

import com.github.dockerjava.api.model.Capability;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.ImagePullPolicy;
import org.testcontainers.utility.DockerImageName;

/**
 * A container started the way a kubelet would start one container of a rendered pod: its image,
 * command and arguments, environment ({@code fieldRef: metadata.name} as the pod's name, {@code
 * fieldRef: status.podIP} empty: the container's address is known only once it runs, and haddns
 * then advertises its interface address, which is that address), the files of its ConfigMap and
 * Secret volumes (laid out by {@link PodFiles}, owned by the pod's {@code fsGroup} with the
 * volume's mode), emptyDir volumes as fresh directories writable by all, the pod's host name, and
 * its security context: user and group, read-only root file system, dropped and added capabilities,
 * sysctls. Nothing of it is typed in by hand, so a chart that renders a broken pod fails here.
 */
final class PodContainer {
  private PodContainer() {}

  /**
   * @param podName the pod's name, e.g. {@code haddns-1} (its host name and {@code metadata.name})
   * @param aliases the names other containers reach it by (its headless-service DNS names)
   * @param filesRoot a fresh directory for the files the container mounts
   */
  static GenericContainer<?> of(
      PodSpec pod,
      Container container,
      String podName,
      List<String> aliases,
      PodFiles files,
      Path filesRoot,
      Network network)
      throws IOException {
    GenericContainer<?> c =
        new GenericContainer<>(DockerImageName.parse(container.getImage()))
            .withImagePullPolicy(neverPull())
            .withNetwork(network)
            .withNetworkAliases(aliases.toArray(String[]::new));
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : container.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      } else if (e.getValueFrom() != null
          && e.getValueFrom().getFieldRef() != null
          && "metadata.name".equals(e.getValueFrom().getFieldRef().getFieldPath())) {
        env.put(e.getName(), podName);
      } else if (e.getValueFrom() != null
          && e.getValueFrom().getFieldRef() != null
          && "status.podIP".equals(e.getValueFrom().getFieldRef().getFieldPath())) {
        env.put(e.getName(), "");
      } else {
        throw new AssertionError("env " + e.getName() + " is of a kind this test cannot set");
      }
    }
    c.withEnv(env);
    if (container.getArgs() != null && !container.getArgs().isEmpty()) {
      c.withCommand(container.getArgs().toArray(String[]::new));
    }
    List<String> entrypoint = container.getCommand();
    container.getPorts().forEach(p -> c.addExposedPort(p.getContainerPort()));

    files.materialize(pod, container, filesRoot);
    PodSecurityContext podSecurity = pod.getSecurityContext();
    Long fsGroup = podSecurity == null ? null : podSecurity.getFsGroup();
    Map<String, Volume> volumes = new HashMap<>();
    pod.getVolumes().forEach(v -> volumes.put(v.getName(), v));
    for (VolumeMount mount : container.getVolumeMounts()) {
      Volume volume = volumes.get(mount.getName());
      Path dir = filesRoot.resolve(mount.getMountPath().substring(1));
      if (volume.getEmptyDir() != null) {
        // An emptyDir is a fresh directory anyone in the pod may write (mode 0777, the fsGroup's).
        if (fsGroup != null) {
          Files.setAttribute(dir, "unix:gid", fsGroup.intValue());
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        c.withFileSystemBind(dir.toString(), mount.getMountPath(), BindMode.READ_WRITE);
        continue;
      }
      Integer mode =
          volume.getSecret() != null
              ? volume.getSecret().getDefaultMode()
              : volume.getConfigMap().getDefaultMode();
      own(dir, fsGroup, mode == null ? 0644 : mode);
      c.withFileSystemBind(
          dir.toString(),
          mount.getMountPath(),
          Boolean.TRUE.equals(mount.getReadOnly()) ? BindMode.READ_ONLY : BindMode.READ_WRITE);
    }

    SecurityContext security = container.getSecurityContext();
    c.withCreateContainerCmdModifier(
        cmd -> {
          cmd.withHostName(podName);
          if (entrypoint != null && !entrypoint.isEmpty()) {
            cmd.withEntrypoint(entrypoint);
          }
          if (podSecurity != null && podSecurity.getRunAsUser() != null) {
            Long group = podSecurity.getRunAsGroup();
            cmd.withUser(podSecurity.getRunAsUser() + (group == null ? "" : ":" + group));
          }
          var host = cmd.getHostConfig();
          if (podSecurity != null && podSecurity.getSysctls() != null) {
            Map<String, String> sysctls = new HashMap<>();
            podSecurity.getSysctls().forEach(s -> sysctls.put(s.getName(), s.getValue()));
            host.withSysctls(sysctls);
          }
          if (security != null) {
            host.withReadonlyRootfs(Boolean.TRUE.equals(security.getReadOnlyRootFilesystem()));
            if (security.getCapabilities() != null) {
              host.withCapDrop(capabilities(security.getCapabilities().getDrop()));
              host.withCapAdd(capabilities(security.getCapabilities().getAdd()));
            }
          }
        });
    return c;
  }

  /** Images are built in this run and never pulled: no registry can be reached. */
  static ImagePullPolicy neverPull() {
    return image -> false;
  }

  private static Capability[] capabilities(List<String> names) {
    if (names == null) {
      return new Capability[0];
    }
    return names.stream().map(Capability::valueOf).toArray(Capability[]::new);
  }

  /** Gives the pod's group the mounted files with the volume's mode, as the kubelet does. */
  private static void own(Path dir, Long fsGroup, int mode) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.toList()) {
        if (fsGroup != null) {
          Files.setAttribute(p, "unix:gid", fsGroup.intValue());
        }
        if (Files.isRegularFile(p)) {
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(permissions(mode)));
        } else {
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
    }
  }

  private static String permissions(int mode) {
    StringBuilder s = new StringBuilder();
    String rwx = "rwx";
    for (int bit = 8; bit >= 0; bit--) {
      s.append((mode & (1 << bit)) != 0 ? rwx.charAt(2 - bit % 3) : '-');
    }
    return s.toString();
  }
}
