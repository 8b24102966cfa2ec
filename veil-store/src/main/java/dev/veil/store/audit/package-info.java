/** The audit log's value types and the backend-independent hash chain every backend uses. */
@NullMarked
package dev.veil.store.audit;

import org.jspecify.annotations.NullMarked;
