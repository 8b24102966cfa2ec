package dev.veil.admin.http;

import static dev.veil.admin.http.AdminRoutes.route;

import dev.veil.admin.AdminServices;
import dev.veil.admin.auth.Permission;
import dev.veil.admin.http.Route.Method;
import dev.veil.store.audit.AuditEntry;
import dev.veil.store.audit.AuditVerification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Audit routes: read, verify the chain, export for auditors. */
final class AuditRoutes {

    private AuditRoutes() {}

    static List<Route> routes(AdminServices s) {
        String t = "audit";
        return List.of(
                route(
                        Method.GET,
                        "/audit",
                        Permission.VIEW_AUDIT,
                        t,
                        "Audit entries, newest first (?limit=, ?action= prefix), or oldest first after ?after=seq.",
                        null,
                        r -> {
                            int limit = r.queryInt("limit", 100, 1, 1000);
                            String after = r.query("after");
                            List<AuditEntry> entries = after != null && !after.isEmpty()
                                    ? s.audit().log().read(r.queryInt("after", 0, 0, Integer.MAX_VALUE), limit)
                                    : s.audit().log().latest(limit, r.query("action") == null ? "" : r.query("action"));
                            return Response.ok(
                                    entries.stream().map(Views.AuditView::of).toList());
                        }),
                route(
                        Method.GET,
                        "/audit/verify",
                        Permission.VIEW_AUDIT,
                        t,
                        "Walk the hash chain and its anchor; names where it breaks.",
                        null,
                        r -> Response.ok(verification(s.audit().log().verify()))),
                route(
                        Method.GET,
                        "/audit/export",
                        Permission.VIEW_AUDIT,
                        t,
                        "The whole log as JSON lines, oldest first, with the verification result last; audited.",
                        null,
                        r -> {
                            s.audit().success(r.principal(), "audit.export", "audit", Map.of());
                            return Response.text(
                                    "application/x-ndjson; charset=utf-8",
                                    AuditExport.jsonLines(s.audit().log()));
                        }));
    }

    static Map<String, Object> verification(AuditVerification v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("intact", v.intact());
        out.put("entries", v.entries());
        out.put("headSeq", v.headSeq());
        out.put("headHash", v.headHash());
        out.put("brokenAt", v.brokenAt());
        out.put("problem", v.problem());
        return out;
    }
}
