package dev.veil.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.veil.store.AuditLog;
import dev.veil.store.audit.AuditEntry;
import java.util.List;
import java.util.Map;

/**
 * The audit log as JSON lines, oldest first, each entry with its hashes so an auditor can re-verify the chain
 * with any SHA-256 tool; the last line is the verification result. Shared by the API and {@code veil audit
 * export}.
 */
public final class AuditExport {

    private static final int PAGE = 1000;

    private AuditExport() {}

    public static String jsonLines(AuditLog log) {
        StringBuilder out = new StringBuilder();
        long after = 0;
        while (true) {
            List<AuditEntry> page = log.read(after, PAGE);
            for (AuditEntry e : page) {
                out.append(json(Views.AuditView.of(e))).append('\n');
                after = e.seq();
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        out.append(json(Map.of("verification", AuditRoutes.verification(log.verify()))))
                .append('\n');
        return out.toString();
    }

    private static String json(Object o) {
        try {
            return AdminApi.JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit export", e);
        }
    }
}
