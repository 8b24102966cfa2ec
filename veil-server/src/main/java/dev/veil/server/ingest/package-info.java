/**
 * The Segment-compatible ingest API ({@code /v1/track|identify|page|screen|group|alias|batch|import}): body
 * reading under hard limits, validation and normalization of messages, client IP capture, CORS, and the durable
 * append to the event log before the answer.
 */
@NullMarked
package dev.veil.server.ingest;

import org.jspecify.annotations.NullMarked;
