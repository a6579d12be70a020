/**
 * The Cloudflare API v4 backend ({@code provider: { type: cloudflare }}): paginated listing, record
 * batches, and the mapping of RRsets to one record object per address marked by a comment.
 *
 * <p>Cloudflare has no conditional write, so the backend does not fence (docs/architecture.md,
 * "Fencing"). It never deletes an unmarked record and never changes a record's {@code proxied}
 * flag; the API token never appears in logs or errors.
 */
package io.haddns.controller.provider.cloudflare;
