/** See {@link dev.veil.admin}. */
@NullMarked
package dev.veil.admin.resources;

import org.jspecify.annotations.NullMarked;
