/** The browser SDK as a class-path resource: its bytes, content hash and versioned file name. */
@NullMarked
package dev.veil.sdk;

import org.jspecify.annotations.NullMarked;
