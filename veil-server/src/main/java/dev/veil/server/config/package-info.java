/** The server configuration file ({@code veil.yaml}): model, loader and its errors. */
@NullMarked
package dev.veil.server.config;

import org.jspecify.annotations.NullMarked;
