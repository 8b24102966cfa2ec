package dev.veil.admin.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.veil.admin.auth.Principal;
import dev.veil.store.AuditLog;
import dev.veil.store.audit.AuditEntry;
import dev.veil.store.audit.AuditRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes audit entries for the admin services. Details are small JSON objects of ids, names and descriptions;
 * {@link #changes} builds the before/after of a change with secret fields replaced by {@code "changed"} or
 * {@code "unchanged"}. Nothing here ever receives an event value, a password or a secret. Thread-safe.
 */
public final class Audit {

    /** The placeholder for a secret's value in before/after details. */
    public static final String CHANGED = "changed";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final AuditLog log;

    public Audit(AuditLog log) {
        this.log = log;
    }

    public AuditLog log() {
        return log;
    }

    /** Records a successful action. */
    public AuditEntry success(Principal who, String action, String target, Map<String, ?> detail) {
        return record(who.actor(), action, target, "success", detail);
    }

    /** Records a refused or failed action with its reason (a PHI-free sentence). */
    public AuditEntry failure(String actor, String action, String target, String reason) {
        return record(actor, action, target, "failure", Map.of("reason", reason));
    }

    /** Records an action refused for lack of permission. */
    public AuditEntry denied(Principal who, String action, String target) {
        return record(who.actor(), action, target, "denied", Map.of());
    }

    public AuditEntry record(String actor, String action, String target, String outcome, Map<String, ?> detail) {
        return log.append(new AuditRecord(actor, action, target, outcome, json(detail)));
    }

    /**
     * A before/after detail: for every key that differs, {@code {"before": x, "after": y}}; keys in
     * {@code secretKeys} show only {@code "changed"}.
     */
    public static Map<String, Object> changes(Map<String, ?> before, Map<String, ?> after, Set<String> secretKeys) {
        Map<String, Object> b = new TreeMap<>();
        Map<String, Object> a = new TreeMap<>();
        Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String k : keys) {
            Object was = before.get(k);
            Object is = after.get(k);
            if (Objects.equals(was, is)) {
                continue;
            }
            if (secretKeys.contains(k)) {
                b.put(k, was == null ? null : CHANGED);
                a.put(k, is == null ? null : CHANGED);
            } else {
                b.put(k, was);
                a.put(k, is);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("before", b);
        out.put("after", a);
        return out;
    }

    private static String json(Map<String, ?> detail) {
        try {
            return JSON.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail is not JSON-serializable", e);
        }
    }
}
