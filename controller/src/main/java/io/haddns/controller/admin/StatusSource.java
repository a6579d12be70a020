package io.haddns.controller.admin;

/**
 * Supplies the admin endpoints' answers. Called on Netty's event loop: implementations read only
 * in-memory views and never block.
 */
public interface StatusSource {

  ClusterStatus status();

  /** Ready to serve: connected to ZooKeeper and its views primed. */
  boolean ready();
}
