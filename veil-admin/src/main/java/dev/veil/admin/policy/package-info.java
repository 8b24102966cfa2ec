/** See {@link dev.veil.admin}. */
@NullMarked
package dev.veil.admin.policy;

import org.jspecify.annotations.NullMarked;
