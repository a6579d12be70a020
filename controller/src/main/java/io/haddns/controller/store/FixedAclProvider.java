package io.haddns.controller.store;

import java.util.List;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.data.ACL;

/** The same ACL for every node, whatever its path: haddns creates nodes only in its own tree. */
record FixedAclProvider(List<ACL> acl) implements ACLProvider {
  /**
   * @param acl as given: ZooKeeper's create() asks it whether it contains null, which an immutable
   *     {@code List.of} answers with a NullPointerException
   */
  FixedAclProvider {}

  @Override
  public List<ACL> getDefaultAcl() {
    return acl;
  }

  @Override
  public List<ACL> getAclForPath(String path) {
    return acl;
  }
}
