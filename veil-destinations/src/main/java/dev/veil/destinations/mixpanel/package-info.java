/** Mixpanel's {@code /import} API. */
@NullMarked
package dev.veil.destinations.mixpanel;

import org.jspecify.annotations.NullMarked;
