package dev.veil.core.engine;

import dev.veil.core.policy.PrivacySettings.Detector;
import dev.veil.core.policy.PrivacySettings.OnMatch;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The mutable state of one {@code evaluate} call: trace, PHI hits and whether PHI forces a drop. Confined. */
final class EvaluationState {

    final String destinationId;
    final String messageId;
    final String eventName;
    final int keyVersion;
    private final PhiScanner scanner;
    private final OnMatch onMatch;
    private final ScanListener listener;
    private final Trace.Recorder trace = new Trace.Recorder();
    private @Nullable String phiDropField;
    private @Nullable String phiDropRule;
    /** Advertising consent is denied (Sec-GPC or the event's consent): no advertising identifier may leave. */
    boolean advertisingDenied;

    EvaluationState(
            String destinationId,
            String messageId,
            String eventName,
            int keyVersion,
            PhiScanner scanner,
            OnMatch onMatch,
            ScanListener listener) {
        this.destinationId = destinationId;
        this.messageId = messageId;
        this.eventName = eventName;
        this.keyVersion = keyVersion;
        this.scanner = scanner;
        this.onMatch = onMatch;
        this.listener = listener;
    }

    /** Records a trace entry; {@code field} is a {@link String} or a {@link FieldPath}, rendered when read. */
    void trace(Object field, String action, String rule) {
        trace.add(field, action, rule);
    }

    /** The trace (rendered lazily); called once, when the evaluation ends. */
    Trace trace() {
        return trace.finish(scanner);
    }

    /**
     * Scans an outgoing string: the (possibly redacted) string, or null when the field must go (dropProperty, or
     * dropEvent, which also marks the event).
     */
    @Nullable
    String scan(Object field, String value) {
        return scanner.mayMatch(value) ? apply(field, scanner.scanCandidate(value, field)) : value;
    }

    /** Like {@link #scan} for a result already computed (cached scans of repeated strings such as user agents). */
    @Nullable
    String apply(Object field, PhiScanner.Result r) {
        String value = r.text();
        if (!r.matched()) {
            return value;
        }
        String path = FieldPath.render(field, scanner);
        for (Map.Entry<Detector, Integer> e : r.counts().entrySet()) {
            listener.onMatch(new ScanListener.Hit(destinationId, messageId, eventName, path, e.getKey(), e.getValue()));
        }
        Detector first = r.firstDetector();
        String rule = first == null ? UNDECODABLE_RULE : rule(r, first);
        switch (onMatch) {
            case REDACT -> {
                for (Detector d : r.counts().keySet()) {
                    trace(field, "redacted", rule(r, d));
                }
                if (r.undecodable() > 0) {
                    trace(field, "redacted", UNDECODABLE_RULE);
                }
                return r.text();
            }
            case DROP_PROPERTY -> {
                trace(field, "dropped", rule);
                return null;
            }
            case DROP_EVENT -> {
                trace(field, "dropped", rule);
                if (phiDropField == null) {
                    phiDropField = path;
                    phiDropRule = rule;
                }
                return null;
            }
        }
        return null;
    }

    static final String UNDECODABLE_RULE =
            "undecodable encoding (still percent-encoded after " + TextDecoder.MAX_ROUNDS + " decoding rounds)";

    /** {@code detector phone}, or {@code detector phone, after percent-decoding} when a decoding revealed it. */
    private static String rule(PhiScanner.Result r, Detector d) {
        String via = r.via().get(d);
        String base = "detector " + PhiScanner.wireName(d);
        return via == null ? base : base + ", after " + via;
    }

    boolean phiDropsEvent() {
        return phiDropField != null;
    }

    String phiDropDetail() {
        return "PHI found in " + phiDropField + " (" + phiDropRule + ") and privacy.scanner.onMatch is dropEvent";
    }
}
