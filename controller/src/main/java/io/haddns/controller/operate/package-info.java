/**
 * The operator control plane without HTTP: line overrides, zone pauses, leader step-down, failover
 * drills with their guard rails, and the audit reader.
 *
 * <p>Any node serves it: it writes operators' intents (with their audit events) to the replicated
 * state, and the leader of the day carries them out; it never acts on DNS or probing itself.
 * Waiting goes through the {@link io.haddns.controller.operate.Waiter} seam, so tests never sleep.
 */
package io.haddns.controller.operate;
