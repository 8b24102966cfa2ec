@NullMarked
package dev.veil.server.http;

import org.jspecify.annotations.NullMarked;
