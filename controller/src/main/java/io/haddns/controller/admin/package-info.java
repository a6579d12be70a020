/**
 * The operators' HTTP server every node runs: health, readiness, {@code /metrics}, the admin API
 * under {@code /api/} (a route table of {@link io.haddns.controller.admin.ApiRoute}s, authenticated
 * and audited) and the dashboard's files.
 *
 * <p>It owns the HTTP surface only: each route maps a request to a call of the package that does
 * the work ({@code operate}, {@code notify}, the gateway's address updates) and maps the outcome
 * back to a status and JSON. Nothing on the event loop blocks: status comes from in-memory views,
 * and API handlers run on admin worker threads. Answers, errors and audit events never carry a
 * secret.
 */
package io.haddns.controller.admin;
