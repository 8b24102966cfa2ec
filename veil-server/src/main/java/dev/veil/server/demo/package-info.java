/** {@code veil demo}: a local Veil with a demo source, a fake clinic site that sends events, and a console stub. */
@NullMarked
package dev.veil.server.demo;

import org.jspecify.annotations.NullMarked;
