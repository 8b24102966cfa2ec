/** See {@link dev.veil.admin}. */
@NullMarked
package dev.veil.admin.http;

import org.jspecify.annotations.NullMarked;
