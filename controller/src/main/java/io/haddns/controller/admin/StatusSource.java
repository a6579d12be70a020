package io.haddns.controller.admin;

/**
 * Supplies the admin endpoints' answers. Called on Netty's event loop: implementations read only
 * in-memory views and never block.
 */
public interface StatusSource {

  ClusterStatus status();

  /** Ready to serve: connected to ZooKeeper and its views primed. */
  boolean ready();

  /**
   * The advertised admin addresses ({@code host:port}) of the live members, this node's included;
   * the dashboard may reach them to move to another node when this one stops answering
   * (docs/dashboard.md). Cheap: no full status is built. None by default.
   */
  default java.util.List<String> memberAddresses() {
    return java.util.List.of();
  }
}
