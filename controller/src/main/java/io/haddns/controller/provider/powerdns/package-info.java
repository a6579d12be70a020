/**
 * The PowerDNS Authoritative HTTP API backend ({@code provider: { type: powerdns }}): zone reads
 * and {@code PATCH}es of whole RRsets marked by a comment, and the classification of API answers.
 *
 * <p>The API has no conditional write, so the backend does not fence: it checks the term before
 * every request and writes only full RRsets. It never deletes an RRset without haddns' mark; the
 * API key never appears in logs or errors.
 */
package io.haddns.controller.provider.powerdns;
