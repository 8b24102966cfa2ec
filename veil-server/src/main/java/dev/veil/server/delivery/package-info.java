/**
 * The delivery engine: one worker per destination reads the event log after its own cursor, applies the
 * destination's privacy policy, batches and sends what is allowed, retries with backoff behind a circuit
 * breaker, and dead-letters what can never be delivered. At-least-once: vendors deduplicate by message id.
 */
@NullMarked
package dev.veil.server.delivery;

import org.jspecify.annotations.NullMarked;
