/** Meta (Facebook) Conversions API. */
@NullMarked
package dev.veil.destinations.meta;

import org.jspecify.annotations.NullMarked;
