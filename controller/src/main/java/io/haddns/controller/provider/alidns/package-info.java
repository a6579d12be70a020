/**
 * The Alibaba Cloud DNS backend ({@code provider: { type: alidns }}): the RPC API with its
 * signature (version 1.0, HMAC-SHA1), the mapping of RRsets to one record per address on the
 * configured line, and the classification of API errors.
 *
 * <p>The API has no conditional write, so the backend does not fence: it narrows the window by
 * checking the term before every write request. It touches only records on its line and never
 * deletes a record without haddns' mark; the AccessKey secret never appears in logs or errors.
 */
package io.haddns.controller.provider.alidns;
