/**
 * The {@code haddns} command line (picocli): {@code controller}, {@code demo}, {@code zookeeper},
 * {@code check-config} and the {@code ctl} commands that talk to a running node's admin API over
 * HTTP, plus log format and level set-up.
 *
 * <p>Commands parse options and hand over: a node is wired by {@code runtime}, the demo by {@code
 * demo}. Nothing here holds cluster logic, and no other package depends on this one.
 */
package io.haddns.controller.cli;
