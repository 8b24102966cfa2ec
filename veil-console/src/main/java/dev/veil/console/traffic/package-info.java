/**
 * What delivery did with recent traffic, kept cheaply off the delivery path: per-field release counts for the
 * matrix (persisted in the dictionary store, counts only) and a bounded in-memory ring of recent events with each
 * destination's decision for the live debugger (never persisted).
 */
@NullMarked
package dev.veil.console.traffic;

import org.jspecify.annotations.NullMarked;
