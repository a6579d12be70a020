package io.haddns.controller.store;

/**
 * The cluster's ZooKeeper tree grants write or admin rights to someone other than the cluster's
 * identity, so anyone who can reach ZooKeeper could rewrite DNS: the node refuses to lead. The
 * message names the node, its ACL and how to fix it.
 */
public final class OpenTreeException extends RuntimeException {
  public OpenTreeException(String message) {
    super(message);
  }
}
