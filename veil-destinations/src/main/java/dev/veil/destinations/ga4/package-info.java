/** Google Analytics 4 through the Measurement Protocol ({@code /mp/collect}). */
@NullMarked
package dev.veil.destinations.ga4;

import org.jspecify.annotations.NullMarked;
