package io.haddns.controller.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that nobody but the cluster's identity may change the cluster's tree: the ACLs of {@code
 * /haddns/<cluster>} and of its fixed children must grant write, create, delete or admin rights to
 * the cluster's identity only (read rights to others are tolerated). A tree left open by an older
 * version is re-secured (every node of the subtree gets the cluster's ACL) only when asked to; else
 * {@link OpenTreeException}. Not used when no authentication is configured. Blocking; not on
 * ZooKeeper's event thread.
 */
final class TreeAccess {
  private static final Logger log = LoggerFactory.getLogger(TreeAccess.class);
  private static final int CHANGE_RIGHTS = Perms.WRITE | Perms.CREATE | Perms.DELETE | Perms.ADMIN;

  private final CuratorFramework client;
  private final ZkPaths paths;
  private final ZkAccess access;
  private final ZkCall zk;

  TreeAccess(CuratorFramework client, ZkPaths paths, ZkAccess access, ZkCall zk) {
    this.client = client;
    this.paths = paths;
    this.access = access;
    this.zk = zk;
  }

  /** The nodes whose ACLs are checked: the cluster's root and its fixed children. */
  List<String> checked() {
    List<String> checked = new ArrayList<>();
    checked.add(paths.root());
    checked.addAll(paths.layout());
    return checked;
  }

  /**
   * @throws OpenTreeException when a checked node grants change rights to anyone else and the tree
   *     may not (or could not) be re-secured
   * @throws StoreUnavailableException when ZooKeeper cannot be reached
   */
  void verify() {
    Optional<String> open = firstOpen();
    if (open.isEmpty()) {
      return;
    }
    if (!access.migratesAcl()) {
      throw new OpenTreeException(
          open.get()
              + ": anyone who can reach ZooKeeper can rewrite DNS, so this node will not lead."
              + " Set cluster.zookeeperAuth.migrateAcl: true to have haddns give every node under "
              + paths.root()
              + " the ACL of "
              + access
              + " only, or set that ACL yourself (zkCli.sh setAcl -R)");
    }
    int changed = secureSubtree();
    log.info("zookeeper tree={} acl migrated nodes={} to {} only", paths.root(), changed, access);
    firstOpen()
        .ifPresent(
            p -> {
              throw new OpenTreeException(p + " is still open after migrating the ACLs");
            });
  }

  private Optional<String> firstOpen() {
    Set<Id> ours = access.acl().stream().map(ACL::getId).collect(Collectors.toSet());
    for (String path : checked()) {
      CuratorEvent read = zk.call("acl read", cb -> client.getACL().inBackground(cb).forPath(path));
      Code code = ZkCall.code(read);
      if (code == Code.NONODE) {
        continue;
      }
      if (code != Code.OK) {
        throw new OpenTreeException(
            "zookeeper node " + path + ": its ACL cannot be read (" + code + ")");
      }
      List<ACL> acl = read.getACLList();
      for (ACL entry : acl) {
        if (!ours.contains(entry.getId()) && (entry.getPerms() & CHANGE_RIGHTS) != 0) {
          return Optional.of(
              "zookeeper node "
                  + path
                  + " has ACL "
                  + describe(acl)
                  + ", granting "
                  + rights(entry.getPerms())
                  + " to "
                  + identity(entry.getId())
                  + " (expected only "
                  + describe(access.acl())
                  + ")");
        }
      }
    }
    return Optional.empty();
  }

  private int secureSubtree() {
    int changed = 0;
    Deque<String> pending = new ArrayDeque<>(List.of(paths.root()));
    while (!pending.isEmpty()) {
      String path = pending.pop();
      CuratorEvent children =
          zk.call("acl migrate", cb -> client.getChildren().inBackground(cb).forPath(path));
      if (ZkCall.code(children) == Code.NONODE) {
        continue;
      }
      children.getChildren().forEach(c -> pending.push(path + "/" + c));
      CuratorEvent set =
          zk.call(
              "acl migrate",
              cb -> client.setACL().withACL(access.acl()).inBackground(cb).forPath(path));
      Code code = ZkCall.code(set);
      if (code == Code.OK) {
        changed++;
      } else if (code != Code.NONODE) {
        throw new OpenTreeException(
            "zookeeper node " + path + ": its ACL cannot be changed (" + code + ")");
      }
    }
    return changed;
  }

  static String describe(List<ACL> acl) {
    return acl.stream()
        .map(a -> identity(a.getId()) + ":" + rights(a.getPerms()))
        .collect(Collectors.joining(",", "[", "]"));
  }

  /** {@code scheme:id}; of a digest id only the user, not the password's hash. */
  static String identity(Id id) {
    String name = id.getId();
    if (id.getScheme().equals("digest") && name.indexOf(':') >= 0) {
      name = name.substring(0, name.indexOf(':'));
    }
    return id.getScheme() + ":" + name;
  }

  /** ZooKeeper's letters: c(reate) d(elete) r(ead) w(rite) a(dmin). */
  static String rights(int perms) {
    StringBuilder s = new StringBuilder();
    if ((perms & Perms.CREATE) != 0) s.append('c');
    if ((perms & Perms.DELETE) != 0) s.append('d');
    if ((perms & Perms.READ) != 0) s.append('r');
    if ((perms & Perms.WRITE) != 0) s.append('w');
    if ((perms & Perms.ADMIN) != 0) s.append('a');
    return s.toString();
  }
}
