/**
 * The embedded RFC 8693 security token service: token exchange and client credentials,
 * delegation policies, composite tokens, their rotating signing keys, revocation, and the
 * signed caller context that targets receive. Protocol decisions live in HTTP-free
 * classes ({@code exchange}); {@code web} only converts HTTP to them and back.
 */
package dev.atrium.sts;
