package dev.veil.core.engine;

import dev.veil.core.engine.Decision.TraceEntry;
import dev.veil.core.policy.PrivacySettings.Detector;
import dev.veil.core.policy.PrivacySettings.OnMatch;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The mutable state of one {@code evaluate} call: trace, PHI hits and whether PHI forces a drop. Confined. */
final class EvaluationState {

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$\\- ]{0,63}");

    final String destinationId;
    final String messageId;
    final String eventName;
    final int keyVersion;
    private final PhiScanner scanner;
    private final OnMatch onMatch;
    private final ScanListener listener;
    private final Set<TraceEntry> trace = new LinkedHashSet<>();
    private @Nullable String phiDropField;
    private @Nullable Detector phiDropDetector;

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

    void trace(String field, String action, String rule) {
        trace.add(new TraceEntry(field, action, rule));
    }

    List<TraceEntry> trace() {
        return new ArrayList<>(trace);
    }

    /**
     * Scans an outgoing string: the (possibly redacted) string, or null when the field must go (dropProperty, or
     * dropEvent, which also marks the event).
     */
    @Nullable
    String scan(String field, String value) {
        PhiScanner.Result r = scanner.scan(value);
        if (!r.matched()) {
            return value;
        }
        for (Map.Entry<Detector, Integer> e : r.counts().entrySet()) {
            listener.onMatch(
                    new ScanListener.Hit(destinationId, messageId, eventName, field, e.getKey(), e.getValue()));
        }
        String rule = "detector " + PhiScanner.wireName(r.firstDetector());
        switch (onMatch) {
            case REDACT -> {
                for (Detector d : r.counts().keySet()) {
                    trace(field, "redacted", "detector " + PhiScanner.wireName(d));
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
                    phiDropField = field;
                    phiDropDetector = r.firstDetector();
                }
                return null;
            }
        }
        return null;
    }

    boolean phiDropsEvent() {
        return phiDropField != null;
    }

    String phiDropDetail() {
        return "PHI found in " + phiDropField + " (detector " + PhiScanner.wireName(phiDropDetector)
                + ") and privacy.scanner.onMatch is dropEvent";
    }

    /** A key name fit for a trace: the name when it is a plain identifier with no PHI pattern, else a marker. */
    String safeKey(String key) {
        if (PLAIN_KEY.matcher(key).matches() && !scanner.scan(key).matched()) {
            return key;
        }
        return "<unnamed key>";
    }
}
