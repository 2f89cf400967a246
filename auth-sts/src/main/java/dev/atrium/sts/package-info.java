/**
 * The embedded RFC 8693 security token service: token exchange, delegation policies,
 * composite tokens and their signing keys. Its work is the subject of the issue
 * "auth-sts: the embedded RFC 8693 STS mints composite delegation tokens"; until then the
 * module only holds its place in the build.
 */
package dev.atrium.sts;
