/**
 * The Amazon Route 53 backend through the AWS SDK: change batches within Route 53's limits, a fence
 * TXT record swapped in every batch, and ownership TXT records beside the RRsets haddns owns.
 *
 * <p>Requests are paced under the account's documented rate, shared by zones of one account.
 * Credentials come from the SDK's chain, never from haddns' configuration or logs, and an RRset
 * without haddns' ownership record is never deleted.
 */
package io.haddns.controller.provider.route53;
