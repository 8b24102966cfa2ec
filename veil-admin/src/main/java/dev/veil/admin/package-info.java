/**
 * The admin side of Veil: services for authentication, roles, sources, destinations, the two-person policy
 * workflow, masking keys and the audit log ({@link dev.veil.admin.AdminServices}), and the JSON API over them
 * ({@link dev.veil.admin.http.AdminApi}). The console calls the same services, in process or over HTTP.
 */
@NullMarked
package dev.veil.admin;

import org.jspecify.annotations.NullMarked;
