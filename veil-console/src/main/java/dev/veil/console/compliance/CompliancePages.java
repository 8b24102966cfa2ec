package dev.veil.console.compliance;

import dev.veil.admin.auth.Permission;
import dev.veil.admin.auth.Principal;
import dev.veil.console.ops.OpsContext;
import dev.veil.console.ops.PageResult;
import dev.veil.console.web.Chrome;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The compliance report page and its CSV and PDF downloads. Readable by every role (it holds policy, never
 * event data or secrets); each download is audited as {@code compliance.export}.
 */
public final class CompliancePages {

    private final OpsContext ops;

    public CompliancePages(OpsContext ops) {
        this.ops = ops;
    }

    public ComplianceReport report() {
        return ComplianceReport.build(ops.services().policies(), ops.clock().instant());
    }

    public PageResult html(Principal who, Chrome chrome) {
        OpsContext.require(who, Permission.VIEW_CONFIG);
        return PageResult.html(ops.render("compliance/report.jte", chrome, Map.of("r", report())));
    }

    public PageResult csv(Principal who) {
        OpsContext.require(who, Permission.VIEW_CONFIG);
        ComplianceReport r = report();
        audit(who, r, "csv");
        return PageResult.download(
                "text/csv; charset=utf-8",
                ComplianceExports.csv(r).getBytes(StandardCharsets.UTF_8),
                "veil-compliance-v" + r.version() + ".csv");
    }

    public PageResult pdf(Principal who) {
        OpsContext.require(who, Permission.VIEW_CONFIG);
        ComplianceReport r = report();
        audit(who, r, "pdf");
        String xhtml = ops.templates().render("compliance/print.jte", Map.of("r", r));
        return PageResult.download(
                "application/pdf", ComplianceExports.pdf(xhtml), "veil-compliance-v" + r.version() + ".pdf");
    }

    private void audit(Principal who, ComplianceReport r, String format) {
        ops.services().audit().success(who, "compliance.export", "policy:" + r.version(), Map.of("format", format));
    }
}
