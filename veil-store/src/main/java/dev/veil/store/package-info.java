/**
 * Storage SPI: the durable event log, delivery cursors, dead letters and the config store. Implementations
 * live in sub-packages ({@code sqlite}, later {@code postgres}, {@code kafka}) and pass one shared contract
 * test suite.
 */
@NullMarked
package dev.veil.store;

import org.jspecify.annotations.NullMarked;
