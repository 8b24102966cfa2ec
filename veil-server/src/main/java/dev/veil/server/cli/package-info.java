/** The {@code veil} command line (picocli): {@code serve}, {@code demo}, and the subcommands added later. */
@NullMarked
package dev.veil.server.cli;

import org.jspecify.annotations.NullMarked;
