/** JMH micro-benchmarks of the privacy engine and masking. */
@NullMarked
package dev.veil.bench;

import org.jspecify.annotations.NullMarked;
