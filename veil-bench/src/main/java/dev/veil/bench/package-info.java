/** JMH micro-benchmarks (privacy engine, masking) and the HTTP load generator for the ingest API. */
@NullMarked
package dev.veil.bench;

import org.jspecify.annotations.NullMarked;
