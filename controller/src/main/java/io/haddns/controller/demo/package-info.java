/**
 * {@code haddns demo}: an embedded ZooKeeper, three controller nodes in one process, two simulated
 * lines and a narrated failover with measured timings.
 *
 * <p>It wires nodes through {@code runtime} like any node; it is a showcase and a smoke test, and
 * nothing outside {@code cli} depends on it.
 */
package io.haddns.controller.demo;
