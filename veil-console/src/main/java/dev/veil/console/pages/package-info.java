/**
 * The console's areas, one class each: it registers its pages and form actions with
 * {@link dev.veil.console.web.ConsoleRoutes} and renders its JTE templates.
 */
@NullMarked
package dev.veil.console.pages;

import org.jspecify.annotations.NullMarked;
