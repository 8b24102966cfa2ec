/** The privacy engine: RawEvent x DestinationPolicy to SafeEvent or Dropped, and its transforms. */
@NullMarked
package dev.veil.core.engine;

import org.jspecify.annotations.NullMarked;
