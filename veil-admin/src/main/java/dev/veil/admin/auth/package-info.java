/** See {@link dev.veil.admin}. */
@NullMarked
package dev.veil.admin.auth;

import org.jspecify.annotations.NullMarked;
