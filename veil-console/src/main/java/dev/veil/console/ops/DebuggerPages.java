package dev.veil.console.ops;

import dev.veil.admin.AdminException;
import dev.veil.admin.auth.Permission;
import dev.veil.admin.auth.Principal;
import dev.veil.console.traffic.RecentEvents;
import dev.veil.console.traffic.RecentEvents.Recent;
import dev.veil.console.web.Chrome;
import dev.veil.core.engine.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The live debugger: the recent events in memory ({@link RecentEvents}), and one event side by side — as
 * received and as each destination received it, or why it was dropped — with the scanner's redactions and the
 * policy's other steps marked per field. Values are hidden by default: without them the page shows field names
 * (names that look like PHI replaced) and what happened to each. Revealing values needs {@code VIEW_RAW} (the
 * privacy-officer role), is a form post with the anti-CSRF token, and writes a {@code raw.view} audit entry.
 */
public final class DebuggerPages {

    /** One destination's outcome for an event, in the list. */
    public record Outcome(String destinationId, boolean forwarded, String reason, int redactions) {}

    /** An event in the list. */
    public record Row(
            long id, Instant receivedAt, String type, String label, String sourceId, List<Outcome> outcomes) {}

    /**
     * A field in a column.
     *
     * @param name its path (real names only when revealed)
     * @param value its value, or empty when hidden
     * @param step what the policy did ({@code redacted}, {@code masked}, {@code transformed}, …), empty when passed
     * @param rule the rule responsible, empty when passed
     */
    public record FieldView(String name, String value, String step, String rule) {
        public boolean redacted() {
            return step.equals("redacted");
        }
    }

    /** One destination's column: what it received, or why it received nothing, and the policy's steps. */
    public record Column(
            String destinationId,
            boolean forwarded,
            String reason,
            String detail,
            List<FieldView> fields,
            List<Decision.TraceEntry> trace) {}

    /** The detail page's model. */
    public record Detail(Row event, List<FieldView> received, List<Column> columns, boolean revealed) {}

    private final OpsContext ops;

    public DebuggerPages(OpsContext ops) {
        this.ops = ops;
    }

    public PageResult list(Principal who, Chrome chrome) {
        OpsContext.require(who, Permission.VIEW_CONFIG);
        List<Row> rows =
                ops.recent().newestFirst().stream().map(DebuggerPages::row).toList();
        return PageResult.html(ops.render(
                "ops/debugger.jte",
                chrome,
                Map.of("rows", rows, "capacity", ops.recent().capacity())));
    }

    public PageResult event(Principal who, Chrome chrome, long id) {
        OpsContext.require(who, Permission.VIEW_CONFIG);
        Recent r = find(id);
        return PageResult.html(page(who, chrome, detail(r, false)));
    }

    /** Shows the values: privacy officers (and owners) only; audited; never cached. */
    public PageResult reveal(Principal who, Chrome chrome, long id) {
        OpsContext.require(who, Permission.VIEW_RAW);
        Recent r = find(id);
        ops.services()
                .audit()
                .success(
                        who,
                        "raw.view",
                        "recent_event:" + id,
                        Map.of("type", r.key().type()));
        return PageResult.once(page(
                who,
                chrome.withNotice(new Chrome.Notice(
                        "You are viewing raw event data; this view was recorded in the audit log.", false)),
                detail(r, true)));
    }

    private String page(Principal who, Chrome chrome, Detail d) {
        return ops.render("ops/debugger-event.jte", chrome, Map.of("d", d, "canReveal", who.may(Permission.VIEW_RAW)));
    }

    private Recent find(long id) {
        return ops.recent()
                .get(id)
                .orElseThrow(() -> AdminException.notFound("recent event " + id + " (it may have left memory)"));
    }

    private static Row row(Recent r) {
        List<Outcome> outcomes = new ArrayList<>();
        r.sortedDecisions()
                .forEach((dest, d) -> outcomes.add(
                        switch (d) {
                            case Decision.Forward f -> new Outcome(dest, true, "", f.redactions());
                            case Decision.Dropped x -> new Outcome(dest, false, x.reason(), x.redactions());
                        }));
        return new Row(
                r.id(),
                r.event().receivedAt(),
                r.event().type().wireName(),
                r.key().label(),
                r.event().sourceId(),
                outcomes);
    }

    static Detail detail(Recent r, boolean reveal) {
        Map<String, Decision> decisions = r.sortedDecisions();
        Set<String> redactedAnywhere = new TreeSet<>();
        decisions
                .values()
                .forEach(d -> d.trace().stream()
                        .filter(t -> t.action().equals("redacted"))
                        .forEach(t -> redactedAnywhere.add(t.field())));
        List<FieldView> received = EventFields.received(r.event()).stream()
                .map(l -> new FieldView(
                        reveal ? l.path() : l.safePath(),
                        reveal ? l.value() : "",
                        covered(redactedAnywhere, l.safePath()) ? "redacted" : "",
                        covered(redactedAnywhere, l.safePath()) ? "redacted for at least one destination" : ""))
                .toList();
        List<Column> columns = new ArrayList<>();
        decisions.forEach((dest, d) -> {
            Map<String, Decision.TraceEntry> steps = new LinkedHashMap<>();
            d.trace().forEach(t -> steps.putIfAbsent(t.field(), t));
            switch (d) {
                case Decision.Forward f ->
                    columns.add(new Column(
                            dest,
                            true,
                            "",
                            "",
                            EventFields.sent(f.event()).stream()
                                    .map(l -> {
                                        Decision.TraceEntry t = step(steps, l.safePath());
                                        return new FieldView(
                                                reveal ? l.path() : l.safePath(),
                                                reveal ? l.value() : "",
                                                t == null ? "" : t.action(),
                                                t == null ? "" : t.rule());
                                    })
                                    .toList(),
                            List.copyOf(f.trace())));
                case Decision.Dropped x ->
                    columns.add(new Column(dest, false, x.reason(), x.detail(), List.of(), List.copyOf(x.trace())));
            }
        });
        return new Detail(row(r), received, columns, reveal);
    }

    private static boolean covered(Set<String> fields, String path) {
        for (String f : fields) {
            if (path.equals(f) || path.startsWith(f + ".") || path.startsWith(f + "[]")) {
                return true;
            }
        }
        return false;
    }

    private static Decision.@org.jspecify.annotations.Nullable TraceEntry step(
            Map<String, Decision.TraceEntry> steps, String path) {
        Decision.TraceEntry exact = steps.get(path);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, Decision.TraceEntry> e : steps.entrySet()) {
            if (path.startsWith(e.getKey() + ".") || path.startsWith(e.getKey() + "[]")) {
                return e.getValue();
            }
        }
        return null;
    }
}
