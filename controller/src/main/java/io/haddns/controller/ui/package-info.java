/**
 * The web dashboard's server side (docs/dashboard.md): its static files, served without a token
 * because they hold no cluster data, {@code GET /api/v1/whoami}, and the refusal of cross-site
 * mutations.
 *
 * <p>The dashboard reads and acts only through the admin API like any client; nothing here reads
 * cluster state itself.
 */
package io.haddns.controller.ui;
