/**
 * Reports and their delivery (docs/agent-protocol.md): the report value, its canonical form and
 * JSON, Ed25519 signing and verification, and the client that posts to the controller endpoints in
 * turn with retries.
 *
 * <p>It depends on no other agent package. The private key never leaves the signer, and neither it
 * nor a signature's key material appears in logs or errors; HTTPS always verifies certificate and
 * host name.
 */
package io.haddns.agent.report;
