/**
 * Netty pieces the node's servers (admin, gateway, embedded DNS) share: connection caps in all and
 * per source, the file-descriptor budget, idle close, per-request deadlines and worker pools.
 *
 * <p>It knows no protocol and no haddns state: only connections and their limits.
 */
package io.haddns.controller.netty;
