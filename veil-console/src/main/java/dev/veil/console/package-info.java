/**
 * The console: server-rendered pages over the admin services, where privacy officers see what every destination
 * receives and decide. Sub-packages: {@code dictionary} (names and types learned from traffic, never values),
 * {@code matrix} (the privacy matrix model), {@code traffic} (recent events and release counts from delivery),
 * {@code web} (routes, templates, security headers).
 */
@NullMarked
package dev.veil.console;

import org.jspecify.annotations.NullMarked;
