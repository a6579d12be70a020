/**
 * The DNSPod backend ({@code provider: { type: dnspod }}) through Tencent Cloud API 3.0, with its
 * TC3-HMAC-SHA256 signing, one record per address on the configured line, ownership marked in each
 * record's remark.
 *
 * <p>The API has no conditional write, so the backend does not fence: it checks the term before
 * every write request. It touches only its line's records and never deletes an unmarked one; the
 * secret key never appears in logs or errors.
 */
package io.haddns.controller.provider.dnspod;
