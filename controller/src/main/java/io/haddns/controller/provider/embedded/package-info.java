/**
 * The backend of zones the cluster serves itself ({@code provider: { type: embedded }}): the zone's
 * data is the replicated applied state, which every node's embedded DNS server answers from.
 *
 * <p>It writes nothing: the reconciler's fenced applied-state transaction is the write and the
 * fence. It reads only the store's warm views, so it never blocks.
 */
package io.haddns.controller.provider.embedded;
