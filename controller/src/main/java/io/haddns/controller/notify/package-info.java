/**
 * Notifications to operators (docs/notifications.md): events written to a replicated outbox in the
 * leader's fenced transactions, routes and grouping, and delivery to webhook, Slack, DingTalk,
 * Feishu and mail receivers with retries and dead letters.
 *
 * <p>Only the leader delivers; every node reads the outbox for status. Delivery runs on the
 * dispatcher's own thread, never on a reconcile or event-loop thread, and every exchange is bounded
 * by the receiver's timeout. Receiver credentials never appear in logs, status or errors.
 */
package io.haddns.controller.notify;
