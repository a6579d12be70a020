/**
 * Who is calling the admin API: operator bearer tokens, JWTs from a configured issuer and client
 * certificates, each turned into a {@link io.haddns.controller.auth.Principal} with a role.
 *
 * <p>It decides identity and role only, not what a role may do on which route (the admin routes say
 * that). It never logs, stores or returns a credential's secret: tokens are compared by their
 * SHA-256, and a principal carries the credential's name.
 */
package io.haddns.controller.auth;
