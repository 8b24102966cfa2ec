/** Benchmarks: the HTTP load generator for the ingest API (and, later, JMH micro-benchmarks). */
@NullMarked
package dev.veil.bench;

import org.jspecify.annotations.NullMarked;
