package io.haddns.controller.config;

/** How a record's addresses are chosen from its lines' health. */
public enum Policy {
  /** The addresses of the first healthy line, in configured order. */
  FAILOVER,
  /** The addresses of every healthy line. */
  MULTIVALUE
}
