/**
 * Prometheus metrics of a node, on the one registry passed in: each class implements the observer
 * hook of one package (probing, reconciling, providers, gateway, DNS server, election,
 * notifications, drills) or reads a view at scrape time.
 *
 * <p>The packages it observes do not depend on it or on any metrics library. Labels stay bounded
 * (never a probe target, an address or a free-form reason), and scrape-time gauges read one
 * in-memory view each, never blocking.
 */
package io.haddns.controller.metrics;
