/** Wiring of the running pipeline: applied policy and masking keys → privacy engine → delivery engine. */
@NullMarked
package dev.veil.server.pipeline;

import org.jspecify.annotations.NullMarked;
