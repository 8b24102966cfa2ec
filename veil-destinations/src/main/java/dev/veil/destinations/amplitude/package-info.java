/** Amplitude HTTP V2 API ({@code /2/httpapi}). */
@NullMarked
package dev.veil.destinations.amplitude;

import org.jspecify.annotations.NullMarked;
