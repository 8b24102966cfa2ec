package dev.veil.console.pages;

import static dev.veil.console.web.ConsoleRoutes.params;

import dev.veil.admin.AdminException;
import dev.veil.admin.auth.Permission;
import dev.veil.admin.auth.Principal;
import dev.veil.api.EventType;
import dev.veil.console.ConsoleParts;
import dev.veil.console.matrix.MatrixProposal;
import dev.veil.console.matrix.PolicyEdits;
import dev.veil.console.matrix.PrivacyMatrix;
import dev.veil.console.web.CellEdit;
import dev.veil.console.web.ConsoleArea;
import dev.veil.console.web.ConsoleRequest;
import dev.veil.console.web.ConsoleRoutes;
import dev.veil.core.engine.FieldTreatments;
import dev.veil.core.engine.FieldTreatments.Kind;
import dev.veil.core.engine.FieldTreatments.Treatment;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.ObservedTraffic;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.PolicyDiff;
import dev.veil.core.policy.Transform;
import dev.veil.store.DictionaryStore.Entry;
import dev.veil.store.DictionaryStore.EventKey;
import dev.veil.store.DraftStore.Draft;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The privacy matrix, the single view: every event and field seen (names, types and counts from the data
 * dictionary) against every destination, each cell what the published policy sends. Editors choose a cell to
 * change their open draft: the change is previewed with the validator's verdict (errors refuse it, with the
 * reason), then saved as a draft revision through veil-admin's {@code DraftService}; a privacy officer approves
 * and publishes it on the Drafts page. Privacy officers mark what they have reviewed, so new fields stand out.
 * Without JavaScript every cell is a link and every step a form; with htmx the editor opens beside the matrix.
 */
public final class MatrixArea implements ConsoleArea {

    public static final String PATH = ConsoleRoutes.BASE + "/matrix";

    static final List<String> FIELD_CHOICES = List.of("pass", "mask", "zip3", "year", "age90", "drop");
    static final List<String> EVENT_CHOICES = List.of("allow", "drop");
    static final List<String> IDENTIFIER_CHOICES = List.of("pass", "mask", "drop");

    private final ConsoleParts parts;

    public MatrixArea(ConsoleParts parts) {
        this.parts = parts;
    }

    @Override
    public void register(ConsoleRoutes routes) {
        routes.nav("matrix", "Privacy matrix", PATH, Permission.VIEW_CONFIG, 20)
                .page(PATH, Permission.VIEW_CONFIG, this::matrix)
                .page(PATH + "/cell", Permission.EDIT_CONFIG, this::cell)
                .action(PATH + "/preview", Permission.EDIT_CONFIG, r -> edit(r, false))
                .action(PATH + "/apply", Permission.EDIT_CONFIG, r -> edit(r, true))
                .action(PATH + "/review", Permission.APPROVE_POLICY, this::review);
    }

    private void matrix(ConsoleRequest r) {
        Principal who = r.who();
        PrivacyMatrix matrix = PrivacyMatrix.build(
                parts.services().policies().publishedPolicy(),
                parts.dictionary().entries(),
                parts.dictionary().flows());
        if (who.may(Permission.EDIT_CONFIG)) {
            myDraft(who)
                    .ifPresent(d -> r.notice(
                            "Your open draft " + d.id() + " (revision " + d.revision()
                                    + ") is not published yet; cells show"
                                    + " the published policy. See Drafts and approvals.",
                            false));
        }
        r.render(
                "matrix.jte",
                params(
                        "chrome", r.chrome("matrix", "Privacy matrix"),
                        "matrix", matrix,
                        "canEdit", who.may(Permission.EDIT_CONFIG),
                        "canReview", who.may(Permission.APPROVE_POLICY),
                        "now", parts.clock().instant(),
                        "skippedBatches", parts.traffic().skippedBatches()));
    }

    /** What a request names: destination, event and field. */
    private record Target(DestinationPolicy destination, EventKey event, String path) {
        boolean isEvent() {
            return path.isEmpty();
        }

        EventType type() {
            return EventType.fromWire(event.type()).orElse(EventType.TRACK);
        }

        @Nullable
        String trackName() {
            return type() == EventType.TRACK ? event.name() : null;
        }
    }

    private Target target(ConsoleRequest r, boolean form) {
        String dest = form ? r.form("dest", 200) : r.query("dest", 200);
        String type = form ? r.form("type", 20) : r.query("type", 20);
        String event = form ? r.form("event", 500) : r.query("event", 500);
        String path = form ? r.form("path", 1_000) : r.query("path", 1_000);
        if (EventType.fromWire(type).isEmpty()) {
            throw AdminException.badRequest("invalid_field", "field 'type': not a call type");
        }
        if (!path.isEmpty() && !PolicyEdits.editable(path)) {
            throw AdminException.badRequest(
                    "invalid_field",
                    "field 'path': " + path + " is set in the destination's identity or context settings, not here");
        }
        DestinationPolicy d = parts.services()
                .policies()
                .publishedPolicy()
                .destination(dest)
                .orElseThrow(() -> AdminException.notFound("destination " + dest + " in the published policy"));
        return new Target(d, new EventKey(type, type.equals("track") ? event : ""), path);
    }

    private void cell(ConsoleRequest r) {
        Target t = target(r, false);
        Policy draft = myDraftPolicy(r.who()).orElse(null);
        Treatment current = treatment(t.destination(), t);
        Treatment inDraft = draft == null
                ? null
                : draft.destination(t.destination().id())
                        .map(d -> treatment(d, t))
                        .orElse(null);
        Treatment effective = inDraft != null ? inDraft : current;
        CellEdit edit = edit(
                t,
                current,
                inDraft != null && !inDraft.equals(current) ? inDraft : null,
                choiceOf(t, effective),
                "",
                null);
        show(r, edit, 200);
    }

    private void edit(ConsoleRequest r, boolean save) {
        Target t = target(r, true);
        List<String> choices = choices(t);
        String choice = r.form("choice", 10);
        if (!choices.contains(choice)) {
            throw AdminException.badRequest("invalid_field", "field 'choice': one of " + String.join(", ", choices));
        }
        String reason = r.form("reason", 200).strip();
        Principal who = r.who();
        Optional<Draft> draft = myDraft(who);
        Policy published = parts.services().policies().publishedPolicy();
        Policy base = draft.flatMap(this::policyOf).orElse(published);
        if (base.destination(t.destination().id()).isEmpty()) {
            throw AdminException.conflict(
                    "draft_changed",
                    "your open draft no longer has destination "
                            + t.destination().id());
        }
        Policy after = t.isEvent()
                ? PolicyEdits.setEventAllowed(base, t.destination().id(), t.event(), choice.equals("allow"))
                : PolicyEdits.identifier(t.path())
                        ? PolicyEdits.setIdentity(
                                base,
                                t.destination().id(),
                                t.path(),
                                DestinationPolicy.IdAction.valueOf(choice.toUpperCase(Locale.ROOT)))
                        : PolicyEdits.setField(
                                base,
                                t.destination().id(),
                                t.event(),
                                t.path(),
                                Transform.valueOf(choice.toUpperCase(Locale.ROOT)),
                                reason.isEmpty() ? null : reason);
        MatrixProposal proposal =
                MatrixProposal.of(base, after, parts.services().policies().connectors(), observed());
        Treatment current = treatment(t.destination(), t);
        Treatment inDraft = draft.isEmpty()
                ? null
                : base.destination(t.destination().id())
                        .map(d -> treatment(d, t))
                        .orElse(null);
        CellEdit edit = edit(
                t, current, inDraft != null && !inDraft.equals(current) ? inDraft : null, choice, reason, proposal);
        if (!save || !proposal.acceptable() || proposal.changes().isEmpty()) {
            show(r, edit, save && !proposal.acceptable() ? 422 : 200);
            return;
        }
        String comment =
                proposal.changes().stream().map(c -> sentence(published, c)).collect(Collectors.joining("; "));
        long id;
        if (draft.isPresent()) {
            id = draft.get().id();
            parts.services().drafts().revise(who, id, draft.get().revision(), proposal.yaml(), comment);
        } else {
            id = parts.services()
                    .drafts()
                    .create(who, proposal.yaml(), comment)
                    .draft()
                    .id();
        }
        r.flash(
                "Saved to draft " + id + ": " + comment + ". A privacy officer who did not edit it approves it on the"
                        + " Drafts page.",
                false);
        r.redirect(PATH);
    }

    private void review(ConsoleRequest r) {
        int n = parts.dictionary()
                .markReviewed(null, parts.clock().instant(), r.who().who());
        parts.services().audit().success(r.who(), "dictionary.review", "dictionary", Map.of("entries", n));
        r.flash("Marked " + n + " fields as reviewed.", false);
        r.redirect(PATH);
    }

    private void show(ConsoleRequest r, CellEdit edit, int status) {
        if (r.htmx()) {
            r.render(status, "matrix-cell.jte", params("edit", edit, "csrf", r.csrf()));
        } else {
            r.render(
                    status,
                    "matrix-cell-page.jte",
                    params("chrome", r.chrome("matrix", "Change a cell"), "edit", edit));
        }
    }

    private static CellEdit edit(
            Target t,
            Treatment current,
            @Nullable Treatment inDraft,
            String selected,
            String reason,
            @Nullable MatrixProposal proposal) {
        DestinationPolicy d = t.destination();
        return new CellEdit(
                d.id(),
                d.name().isEmpty() ? d.id() : d.name(),
                d.baa(),
                t.event(),
                t.path(),
                current,
                inDraft,
                choices(t),
                selected,
                reason,
                proposal);
    }

    private static List<String> choices(Target t) {
        return t.isEvent() ? EVENT_CHOICES : PolicyEdits.identifier(t.path()) ? IDENTIFIER_CHOICES : FIELD_CHOICES;
    }

    private static Treatment treatment(DestinationPolicy d, Target t) {
        if (t.isEvent()) {
            return FieldTreatments.eventBlocked(d, t.type(), t.trackName())
                    .map(why -> new Treatment(Kind.BLOCKED, why))
                    .orElse(new Treatment(Kind.PASS, "event allowed"));
        }
        return FieldTreatments.of(d, t.type(), t.trackName(), t.path());
    }

    private static String choiceOf(Target t, Treatment treatment) {
        if (t.isEvent()) {
            return treatment.flows() ? "allow" : "drop";
        }
        return switch (treatment.kind()) {
            case BLOCKED -> "drop";
            case MASK -> "mask";
            case ZIP3 -> "zip3";
            case YEAR -> "year";
            case AGE90 -> "age90";
            case PASS, GENERALIZED -> "pass";
        };
    }

    /** A change in plain words with the destination's display name: "GA4 starts receiving property …". */
    static String sentence(Policy policy, PolicyDiff.Change c) {
        String who = policy.destination(c.subject())
                .map(d -> d.name().isEmpty() ? d.id() : d.name())
                .orElse(c.subject());
        return who + " " + c.text();
    }

    /** This person's newest open draft drafted from the published version, if any. */
    private Optional<Draft> myDraft(Principal who) {
        int published =
                parts.services().policies().published().map(v -> v.version()).orElse(0);
        return parts.services().drafts().list(true).stream()
                .filter(d -> d.editors().contains(who.who()) && d.baseVersion() == published)
                .max((a, b) -> Long.compare(a.id(), b.id()));
    }

    private Optional<Policy> myDraftPolicy(Principal who) {
        return myDraft(who).flatMap(this::policyOf);
    }

    private Optional<Policy> policyOf(Draft d) {
        return parts.services().policies().validate(d.yaml(), "draft " + d.id()).maybePolicy();
    }

    /** Property paths seen per track event, for the validator's "allowed but never seen" warnings. */
    private ObservedTraffic observed() {
        Map<String, Set<String>> byEvent = new HashMap<>();
        for (Entry e : parts.dictionary().entries()) {
            if (e.event().type().equals("track") && e.path().startsWith("properties.")) {
                byEvent.computeIfAbsent(e.event().name(), k -> new HashSet<>())
                        .add(e.path().substring("properties.".length()).replace("[]", ""));
            }
        }
        return new ObservedTraffic(byEvent);
    }
}
