package dev.veil.console.pages;

import static dev.veil.console.web.ConsoleRoutes.params;

import dev.veil.admin.auth.Permission;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.policy.DraftService.DraftView;
import dev.veil.admin.policy.PolicyService.HistoryEntry;
import dev.veil.console.ConsoleParts;
import dev.veil.console.web.ConsoleArea;
import dev.veil.console.web.ConsoleRequest;
import dev.veil.console.web.ConsoleRoutes;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.PolicyProblem;
import dev.veil.store.DraftStore;
import dev.veil.store.DraftStore.Approval;
import dev.veil.store.DraftStore.Draft;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Drafts and approvals: each open draft's changes in plain words ("GA4 (marketing) starts receiving property
 * `service_line` of event `Appointment Booked`"), its validation problems and approvals; approve (a privacy officer
 * who did not edit it, for the exact revision shown), publish, discard; and the history of published versions
 * with who wrote, approved and published each. The rules are veil-admin's {@code DraftService}: this area shows
 * its verdicts and offers only the buttons that can succeed.
 */
public final class DraftsArea implements ConsoleArea {

    public static final String PATH = ConsoleRoutes.BASE + "/drafts";

    private final ConsoleParts parts;

    public DraftsArea(ConsoleParts parts) {
        this.parts = parts;
    }

    @Override
    public void register(ConsoleRoutes routes) {
        routes.nav("drafts", "Drafts and approvals", PATH, Permission.VIEW_CONFIG, 30)
                .page(PATH, Permission.VIEW_CONFIG, this::list)
                .page(PATH + "/{id}", Permission.VIEW_CONFIG, this::one)
                .action(PATH + "/{id}/approve", Permission.APPROVE_POLICY, this::approve)
                .action(PATH + "/{id}/publish", Permission.PUBLISH_POLICY, this::publish)
                .action(PATH + "/{id}/discard", Permission.EDIT_CONFIG, this::discard);
    }

    /**
     * A draft as the page shows it.
     *
     * @param draft the draft
     * @param changes what it changes against the published policy, in plain words
     * @param errors validation errors (they block publishing)
     * @param warnings validation warnings
     * @param approvals every approval, of any revision
     * @param validApprovers who approved the current revision (and did not edit it)
     * @param approvalRequired whether the two-person rule is on
     * @param blockedBecause why it cannot be published now, null when it can
     * @param approveBlockedBecause why this person cannot approve it, null when they can
     * @param canPublish whether this person may publish it now
     * @param canDiscard whether this person may discard it
     */
    public record Row(
            Draft draft,
            List<String> changes,
            List<String> errors,
            List<String> warnings,
            List<Approval> approvals,
            List<String> validApprovers,
            boolean approvalRequired,
            @Nullable String blockedBecause,
            @Nullable String approveBlockedBecause,
            boolean canApprove,
            boolean canPublish,
            boolean canDiscard) {}

    private Row row(DraftView v, Principal who) {
        Draft d = v.draft();
        Policy published = parts.services().policies().publishedPolicy();
        Policy named = v.report().maybePolicy().orElse(published);
        List<String> changes =
                v.changes().stream().map(c -> MatrixArea.sentence(named, c)).toList();
        boolean open = d.status() == DraftStore.Status.OPEN;
        String approveBlocked = null;
        if (!who.may(Permission.APPROVE_POLICY)) {
            approveBlocked = "approving needs the privacy_officer or owner role";
        } else if (d.editors().contains(who.who())) {
            approveBlocked =
                    "you edited this draft; a privacy officer who did not edit it approves it (two-person rule)";
        } else if (!v.report().valid()) {
            approveBlocked = "it has validation errors";
        } else if (v.validApprovers().contains(who.who())) {
            approveBlocked = "you approved this revision";
        }
        return new Row(
                d,
                changes,
                v.report().errors().stream().map(PolicyProblem::message).toList(),
                v.report().warnings().stream().map(PolicyProblem::message).toList(),
                v.approvals(),
                v.validApprovers(),
                v.approvalRequired(),
                v.blockedBecause(),
                approveBlocked,
                open && approveBlocked == null,
                open && who.may(Permission.PUBLISH_POLICY) && v.blockedBecause() == null,
                open && who.may(Permission.EDIT_CONFIG));
    }

    private void list(ConsoleRequest r) {
        Principal who = r.who();
        List<Row> open = parts.services().drafts().list(true).stream()
                .map(d -> row(parts.services().drafts().get(d.id()), who))
                .toList();
        List<HistoryEntry> history = parts.services().policies().history();
        r.render(
                "drafts.jte",
                params(
                        "chrome",
                        r.chrome("drafts", "Drafts and approvals"),
                        "open",
                        open,
                        "history",
                        history,
                        "twoPersonRule",
                        parts.services().policies().twoPersonRule()));
    }

    private void one(ConsoleRequest r) {
        Row row = row(parts.services().drafts().get(r.pathLong("id")), r.who());
        r.render(
                "draft.jte",
                params("chrome", r.chrome("drafts", "Draft " + row.draft().id()), "row", row));
    }

    private void approve(ConsoleRequest r) {
        long id = r.pathLong("id");
        int revision = r.formInt("revision");
        parts.services()
                .drafts()
                .approve(r.who(), id, revision, r.form("comment", 500).strip());
        r.flash("You approved revision " + revision + " of draft " + id + ".", false);
        r.redirect(PATH + "/" + id);
    }

    private void publish(ConsoleRequest r) {
        long id = r.pathLong("id");
        int revision = r.formInt("revision");
        var version = parts.services().drafts().publish(r.who(), id, revision);
        r.flash(
                "Draft " + id + " is published as policy version " + version.version()
                        + "; delivery uses it within seconds.",
                false);
        r.redirect(PATH);
    }

    private void discard(ConsoleRequest r) {
        long id = r.pathLong("id");
        parts.services().drafts().discard(r.who(), id);
        r.flash("Draft " + id + " was discarded.", false);
        r.redirect(PATH);
    }
}
