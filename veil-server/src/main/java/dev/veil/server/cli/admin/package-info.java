/** Host-side admin commands: {@code veil users} (recovery and invitations) and {@code veil audit verify|export}. */
@NullMarked
package dev.veil.server.cli.admin;

import org.jspecify.annotations.NullMarked;
