package dev.veil.console.ops;

import dev.veil.admin.auth.Permission;
import dev.veil.admin.auth.Principal;
import dev.veil.console.web.Chrome;
import dev.veil.store.audit.AuditEntry;
import dev.veil.store.audit.AuditVerification;
import java.util.List;
import java.util.Map;

/**
 * The audit log: newest entries first, filtered by action prefix, actor and outcome, with the hash chain's
 * verification status on top (walked on every view, so tampering shows at once). Needs {@code VIEW_AUDIT}.
 */
public final class AuditPage {

    /** How many entries are read before the actor and outcome filters. */
    static final int SCAN = 5_000;

    /** The filters as the form sent them. */
    public record Filters(String action, String actor, String outcome, int limit) {}

    private final OpsContext ops;

    public AuditPage(OpsContext ops) {
        this.ops = ops;
    }

    public PageResult show(Principal who, Chrome chrome, Form form) {
        OpsContext.require(who, Permission.VIEW_AUDIT);
        int limit = (int) Math.max(1, Math.min(1_000, form.number("limit", 200)));
        Filters f = new Filters(form.get("action"), form.get("actor"), form.get("outcome"), limit);
        List<AuditEntry> entries = ops.services().audit().log().latest(SCAN, f.action()).stream()
                .filter(e -> f.actor().isEmpty() || e.actor().contains(f.actor()))
                .filter(e -> f.outcome().isEmpty() || e.outcome().equals(f.outcome()))
                .limit(limit)
                .toList();
        AuditVerification v = ops.services().audit().log().verify();
        return PageResult.html(
                ops.render("ops/audit.jte", chrome, Map.of("entries", entries, "filters", f, "verification", v)));
    }
}
