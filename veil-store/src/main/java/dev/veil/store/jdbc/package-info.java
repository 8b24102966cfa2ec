/** Plain JDBC steps shared by the SQL backends of the store SPIs. */
@NullMarked
package dev.veil.store.jdbc;

import org.jspecify.annotations.NullMarked;
