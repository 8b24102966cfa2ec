/** The data dictionary learned from traffic: event names, field paths, types and counts, never values. */
@NullMarked
package dev.veil.console.dictionary;

import org.jspecify.annotations.NullMarked;
