/**
 * Checking after an apply that a zone's authoritative servers answer the new values, by
 * non-recursive queries to each of them, and how long that took.
 *
 * <p>It only asks and reports: it never writes DNS or state, and runs on its own thread, off the
 * reconciler's.
 */
package io.haddns.controller.verify;
