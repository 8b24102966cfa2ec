/** JMH micro-benchmarks (privacy engine, masking), the HTTP load generator and {@code ./veil bench} with its bare baselines. */
@NullMarked
package dev.veil.bench;

import org.jspecify.annotations.NullMarked;
