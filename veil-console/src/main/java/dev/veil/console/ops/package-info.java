/**
 * The console's operations pages: sources and write keys, destinations and delivery, users, API tokens, the
 * audit log, the live debugger and the compliance report. Every action calls the admin services (the same
 * implementation as the admin API, audited there); these classes only check permissions, call and render.
 */
@NullMarked
package dev.veil.console.ops;

import org.jspecify.annotations.NullMarked;
