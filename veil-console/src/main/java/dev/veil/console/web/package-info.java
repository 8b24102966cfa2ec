/** The console's HTTP side: routes, page models, JTE rendering, security headers and first-party assets. */
@NullMarked
package dev.veil.console.web;

import org.jspecify.annotations.NullMarked;
