/** Wiring of the admin API ({@code veil-admin}) into a running server. */
@NullMarked
package dev.veil.server.admin;

import org.jspecify.annotations.NullMarked;
