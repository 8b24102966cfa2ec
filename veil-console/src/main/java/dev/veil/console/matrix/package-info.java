/**
 * The privacy matrix: rows are the events and field paths of the data dictionary, columns the destinations,
 * and each cell what that destination receives (from the policy, with the engine's rules) and how often it did
 * (from traffic). Pure: the model and the edits that turn a click into a draft policy do no I/O.
 */
@NullMarked
package dev.veil.console.matrix;

import org.jspecify.annotations.NullMarked;
