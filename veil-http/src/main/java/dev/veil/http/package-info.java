/**
 * HTTP hardening shared by every listener Veil opens (ingest, management, later the console): connection
 * limits and read deadlines against slow clients ({@link dev.veil.http.ConnectionGuard}), TLS from PEM files
 * reloaded on change, rate limits, and the security headers of HTML pages. Depends on Javalin/Jetty and
 * Micrometer only, so that every server module can use it.
 */
@NullMarked
package dev.veil.http;

import org.jspecify.annotations.NullMarked;
