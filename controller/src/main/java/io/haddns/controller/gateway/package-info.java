/**
 * The update gateway every node runs, leader or not: signed agent reports ({@code POST
 * /api/v1/report}, docs/agent-protocol.md) and the dyndns2 protocol ({@code /nic/update}) on their
 * own listener, with strict parsing, authentication, rate limits and audit.
 *
 * <p>It writes only line addresses and reporter sequences, through the store's compare-and-set
 * ({@link io.haddns.controller.store.LineAddressStore}); it never writes DNS and never decides
 * health. A request is answered only once ZooKeeper committed it, without a worker or event-loop
 * thread waiting on ZooKeeper. Passwords and credentials never reach a log, an answer or the audit
 * trail.
 */
package io.haddns.controller.gateway;
