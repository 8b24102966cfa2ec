/**
 * The event types that leave Veil's privacy engine: {@link dev.veil.api.SafeEvent} and its parts, and the
 * descriptors connectors publish about themselves. Connectors depend on this module only, so they can never
 * see a raw (unfiltered) event: the boundary is enforced by the build, not by convention.
 */
@NullMarked
package dev.veil.api;

import org.jspecify.annotations.NullMarked;
