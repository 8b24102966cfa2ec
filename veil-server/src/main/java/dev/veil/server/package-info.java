/** Veil's server: wiring of the ingest API, health and metrics endpoints, the demo and the CLI. */
@NullMarked
package dev.veil.server;

import org.jspecify.annotations.NullMarked;
