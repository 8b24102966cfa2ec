/** The {@code dlq} command: list, show and replay dead letters offline against the data directory. */
@NullMarked
package dev.veil.server.delivery.cli;

import org.jspecify.annotations.NullMarked;
