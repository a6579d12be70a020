package io.haddns.dist;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Lays out under a root directory the files a container of a rendered pod spec sees: each volume
 * mount filled from the rendered ConfigMap or Secret it names (honouring {@code items}), or, for a
 * Secret the chart does not make ({@code existingSecret}), from {@code existing(name)}; emptyDir
 * mounts become empty directories. A mount at {@code /etc/haddns/config} ends up at {@code
 * root/etc/haddns/config}.
 */
final class PodFiles {
  private final Map<String, Map<String, byte[]>> configMaps = new HashMap<>();
  private final Map<String, Map<String, byte[]>> secrets = new HashMap<>();
  private final Function<String, Map<String, byte[]>> existing;

  PodFiles(List<HasMetadata> objects, Function<String, Map<String, byte[]>> existing) {
    this.existing = existing;
    for (HasMetadata o : objects) {
      if (o instanceof ConfigMap cm) {
        Map<String, byte[]> data = new HashMap<>();
        cm.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        configMaps.put(cm.getMetadata().getName(), data);
      } else if (o instanceof Secret s) {
        Map<String, byte[]> data = new HashMap<>();
        if (s.getData() != null) {
          s.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        if (s.getStringData() != null) {
          s.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        secrets.put(s.getMetadata().getName(), data);
      }
    }
  }

  /** Writes the files {@code container} of {@code pod} mounts; returns their paths under root. */
  void materialize(PodSpec pod, Container container, Path root) throws IOException {
    Map<String, Volume> volumes = new HashMap<>();
    pod.getVolumes().forEach(v -> volumes.put(v.getName(), v));
    for (VolumeMount mount : container.getVolumeMounts()) {
      Volume volume = volumes.get(mount.getName());
      if (volume == null) {
        throw new AssertionError("volumeMount " + mount.getName() + " names no volume");
      }
      Path dir = root.resolve(mount.getMountPath().substring(1));
      Files.createDirectories(dir);
      if (volume.getConfigMap() != null) {
        String name = volume.getConfigMap().getName();
        write(
            dir,
            orFail(configMaps.get(name), "ConfigMap " + name),
            volume.getConfigMap().getItems());
      } else if (volume.getSecret() != null) {
        String name = volume.getSecret().getSecretName();
        Map<String, byte[]> data =
            secrets.containsKey(name) ? secrets.get(name) : existing.apply(name);
        write(dir, orFail(data, "Secret " + name), volume.getSecret().getItems());
      } else if (volume.getEmptyDir() == null) {
        throw new AssertionError(
            "volume " + volume.getName() + " is of a kind this test cannot lay out");
      }
    }
  }

  private static Map<String, byte[]> orFail(Map<String, byte[]> data, String what) {
    if (data == null) {
      throw new AssertionError(what + " is mounted but neither rendered nor provided");
    }
    return data;
  }

  private static void write(Path dir, Map<String, byte[]> data, List<KeyToPath> items)
      throws IOException {
    if (items == null || items.isEmpty()) {
      for (var e : data.entrySet()) {
        Files.write(dir.resolve(e.getKey()), e.getValue());
      }
      return;
    }
    for (KeyToPath item : items) {
      byte[] content = data.get(item.getKey());
      if (content == null) {
        throw new AssertionError(
            "key " + item.getKey() + " is mounted but missing from its source");
      }
      Path file = dir.resolve(item.getPath());
      Files.createDirectories(file.getParent());
      Files.write(file, content);
    }
  }
}
