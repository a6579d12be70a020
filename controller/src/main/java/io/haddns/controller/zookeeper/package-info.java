/**
 * The embedded single-node ZooKeeper server for one-machine installs and local clusters, and the
 * digest secret its clients authenticate with (a file only its owner may read).
 *
 * <p>It runs the server only: nodes connect to it as to any ensemble, through the store's client.
 * The server never exits the process, and its secret never appears in logs.
 */
package io.haddns.controller.zookeeper;
