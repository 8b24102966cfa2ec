/** Serving the first-party browser SDK: hashed, long-cached asset routes and the page snippet. */
@NullMarked
package dev.veil.server.sdk;

import org.jspecify.annotations.NullMarked;
