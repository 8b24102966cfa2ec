/**
 * Helpers shared by the vendor packages (JSON, settings, responses, Segment semantics). Not an API: other modules
 * use only {@code dev.veil.destinations.spi}.
 */
@NullMarked
package dev.veil.destinations.internal;

import org.jspecify.annotations.NullMarked;
