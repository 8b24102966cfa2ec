/** Sources (senders of events) and how a write key is resolved to one. */
@NullMarked
package dev.veil.server.source;

import org.jspecify.annotations.NullMarked;
