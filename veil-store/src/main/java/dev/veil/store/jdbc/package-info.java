/**
 * What the SQL backends of the store SPIs share: one JDBC implementation of each store ({@link
 * dev.veil.store.jdbc.JdbcConfigStore}, {@link dev.veil.store.jdbc.JdbcAdminStores}, ...), run by each backend
 * with its {@link dev.veil.store.jdbc.SqlConnections} and {@link dev.veil.store.jdbc.SqlDialect}, and the plain
 * JDBC steps ({@link dev.veil.store.jdbc.Jdbc}).
 */
@NullMarked
package dev.veil.store.jdbc;

import org.jspecify.annotations.NullMarked;
