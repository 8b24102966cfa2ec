/**
 * The server's use of {@code veil-http}: the ingest API's rate limits and the security headers of the pages
 * Veil serves.
 */
@NullMarked
package dev.veil.server.http;

import org.jspecify.annotations.NullMarked;
