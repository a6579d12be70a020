package io.haddns.controller.netty;

/**
 * Which socket transport an operator lets the node use ({@code node.transport},
 * docs/configuration.md): the native one when this host can load it, or NIO always.
 */
public enum TransportPreference {
  /** Netty's native epoll transport where it loads (Linux on x86-64 or aarch64), else NIO. */
  AUTO,
  /** The JDK's NIO, for a kernel or platform the native transport misbehaves on. */
  NIO
}
