/** The raw (unfiltered) event model: a Segment message as received, with what the server captured. */
@NullMarked
package dev.veil.core.event;

import org.jspecify.annotations.NullMarked;
