/** See {@link dev.veil.admin}. */
@NullMarked
package dev.veil.admin.audit;

import org.jspecify.annotations.NullMarked;
