package io.haddns.controller.testing;

import io.haddns.controller.config.ConfigLoader;
import io.haddns.controller.config.HaddnsConfig;
import io.haddns.controller.config.NodeConfig;
import io.haddns.controller.runtime.NodeRuntime;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a whole node in this JVM from a configuration's YAML (embedded ZooKeeper unless the YAML
 * names one), with its admin server and DNS server on free ports of 127.0.0.1.
 */
public final class EmbeddedNode {
  private EmbeddedNode() {}

  public static NodeRuntime start(String yaml, Path dir, String nodeId) throws Exception {
    HaddnsConfig cfg = new ConfigLoader(Map.of()).parse(yaml, nodeId + ".yaml", dir);
    return NodeRuntime.start(
        cfg.withNode(new NodeConfig(nodeId, "127.0.0.1", 0, "127.0.0.1", 0)),
        Optional.empty(),
        InstantSource.system(),
        "it");
  }
}
