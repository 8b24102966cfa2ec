package dev.veil.admin.policy;

import dev.veil.admin.AdminException;
import dev.veil.admin.auth.Permission;
import dev.veil.admin.auth.Principal;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.PolicyDiff;
import dev.veil.core.policy.PolicyExporter;
import dev.veil.core.policy.ValidationReport;
import dev.veil.store.ConfigStore.PolicyVersion;
import dev.veil.store.DraftStore;
import dev.veil.store.DraftStore.Approval;
import dev.veil.store.DraftStore.Draft;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The two-person workflow for policy changes: drafts are edited in revisions, a privacy officer who did not edit
 * the draft approves one exact revision, and an approved, valid, current draft is published as the next policy
 * version. Every step is audited with the plain-words diff. Thread-safe (the store serializes writes; revision
 * numbers catch concurrent edits).
 */
public final class DraftService {

    private final PolicyService policies;
    private final DraftStore drafts;

    public DraftService(PolicyService policies) {
        this.policies = policies;
        this.drafts = policies.drafts();
    }

    /**
     * A draft with what a reviewer needs: validation problems, the diff against the published policy, approvals
     * and whether it can be published now.
     */
    public record DraftView(
            Draft draft,
            ValidationReport report,
            List<PolicyDiff.Change> changes,
            List<Approval> approvals,
            List<String> validApprovers,
            boolean approvalRequired,
            @Nullable String blockedBecause) {}

    /** Creates a draft from {@code yaml} (an import), or from the published policy when {@code yaml} is null. */
    public DraftView create(Principal who, @Nullable String yaml, String comment) {
        String text = yaml != null ? yaml : startingText();
        policies.validate(text, "draft");
        int base = policies.published().map(PolicyVersion::version).orElse(0);
        Draft d = drafts.createDraft(base, text, who.who(), comment);
        DraftView view = view(d);
        policies.audit()
                .success(
                        who,
                        "policy.draft_create",
                        "draft:" + d.id(),
                        detail(d, view.changes(), yaml != null ? "import" : "copy"));
        return view;
    }

    private String startingText() {
        return policies.published()
                .map(v -> {
                    Policy p = policies.validate(v.yaml(), "policy version " + v.version())
                            .maybePolicy()
                            .orElse(null);
                    return p == null ? v.yaml() : PolicyExporter.export(p);
                })
                .orElse("version: 1\n");
    }

    public DraftView get(long id) {
        return view(find(id));
    }

    public List<Draft> list(boolean openOnly) {
        return drafts.drafts(openOnly);
    }

    /** Saves a new revision; {@code revision} is the one the editor saw (else 409 {@code draft_changed}). */
    public DraftView revise(Principal who, long id, int revision, String yaml, String comment) {
        Draft d = openDraft(id);
        policies.validate(yaml, "draft " + id);
        Draft updated = drafts.reviseDraft(d.id(), revision, yaml, who.who(), comment)
                .orElseThrow(() -> AdminException.conflict(
                        "draft_changed",
                        "draft " + id + " is at revision " + find(id).revision() + ", not " + revision
                                + "; reload it and apply your change again"));
        DraftView view = view(updated);
        policies.audit().success(who, "policy.draft_edit", "draft:" + id, detail(updated, view.changes(), null));
        return view;
    }

    /**
     * Approves one revision. Refused for anyone who edited the draft, for a revision that is not the current one,
     * and for an invalid policy.
     */
    public Approval approve(Principal who, long id, int revision, String comment) {
        requirePerson(who, Permission.APPROVE_POLICY);
        Draft d = openDraft(id);
        if (d.editors().contains(who.who())) {
            policies.audit().denied(who, "policy.approve", "draft:" + id);
            throw AdminException.forbidden("you edited draft " + id + "; a privacy officer who did not edit it must"
                    + " approve it (two-person rule)");
        }
        if (d.revision() != revision) {
            throw AdminException.conflict(
                    "draft_changed",
                    "draft " + id + " is at revision " + d.revision() + "; review revision " + d.revision()
                            + " and approve that one");
        }
        ValidationReport report = policies.validate(d.yaml(), "draft " + id);
        if (!report.valid()) {
            throw new AdminException(422, "invalid_policy", "draft " + id + " does not validate\n" + report.format());
        }
        Approval a = drafts.approve(id, revision, who.who(), comment);
        DraftView view = view(d);
        policies.audit().success(who, "policy.approve", "draft:" + id, detail(d, view.changes(), null));
        return a;
    }

    /** Publishes revision {@code revision} of a draft as the next policy version. */
    public PolicyVersion publish(Principal who, long id, int revision) {
        if (!who.may(Permission.PUBLISH_POLICY)) {
            throw AdminException.forbidden("publishing needs the privacy_officer or owner role");
        }
        Draft d = openDraft(id);
        if (d.revision() != revision) {
            throw AdminException.conflict(
                    "draft_changed", "draft " + id + " is at revision " + d.revision() + ", not " + revision);
        }
        DraftView view = view(d);
        if (view.blockedBecause() != null) {
            policies.audit().failure(who.actor(), "policy.publish", "draft:" + id, view.blockedBecause());
            throw AdminException.conflict(
                    "not_publishable", "draft " + id + " cannot be published: " + view.blockedBecause());
        }
        Policy policy = view.report().orThrow();
        List<String> unresolved = policies.unresolvedSecrets(policy);
        if (!unresolved.isEmpty()) {
            throw new AdminException(
                    422,
                    "unresolved_secrets",
                    "draft " + id + ": secret references do not resolve\n" + String.join("\n", unresolved));
        }
        String note = "draft " + id + " revision " + d.revision()
                + (view.validApprovers().isEmpty() ? "" : ", approved by " + String.join(", ", view.validApprovers()))
                + (d.comment().isEmpty() ? "" : ": " + d.comment());
        PolicyVersion saved = policies.config().savePolicy(d.yaml(), d.author(), note);
        drafts.markPublished(id, saved.version(), who.who());
        Map<String, Object> detail = detail(d, view.changes(), null);
        detail.put("before", d.baseVersion());
        detail.put("after", saved.version());
        detail.put("approvedBy", view.validApprovers());
        policies.audit().success(who, "policy.publish", "policy:" + saved.version(), detail);
        return saved;
    }

    /** Closes an open draft without publishing it. */
    public void discard(Principal who, long id) {
        Draft d = openDraft(id);
        drafts.discard(d.id(), who.who());
        policies.audit().success(who, "policy.draft_discard", "draft:" + id, Map.of("revision", d.revision()));
    }

    private DraftView view(Draft d) {
        ValidationReport report = policies.validate(d.yaml(), "draft " + d.id());
        Policy base = policies.publishedPolicy();
        List<PolicyDiff.Change> changes =
                report.maybePolicy().map(p -> policies.diff(base, p)).orElse(List.of());
        List<Approval> approvals = drafts.approvals(d.id());
        List<String> valid = approvals.stream()
                .filter(a -> a.revision() == d.revision() && !d.editors().contains(a.approver()))
                .map(Approval::approver)
                .toList();
        boolean required = drafts.twoPersonRule();
        String blocked = null;
        int published = policies.published().map(PolicyVersion::version).orElse(0);
        if (d.status() != DraftStore.Status.OPEN) {
            blocked = "it is " + d.status().name().toLowerCase();
        } else if (!report.valid()) {
            blocked = "it has " + report.errors().size() + " validation error(s)";
        } else if (published != d.baseVersion()) {
            blocked = "it was drafted from version " + d.baseVersion() + " but version " + published
                    + " is published now; start a new draft from the published policy";
        } else if (required && valid.isEmpty()) {
            blocked = "the two-person rule needs an approval of revision " + d.revision()
                    + " by a privacy officer who did not edit it";
        }
        return new DraftView(d, report, changes, approvals, valid, required, blocked);
    }

    private Draft find(long id) {
        return drafts.draft(id).orElseThrow(() -> AdminException.notFound("draft " + id));
    }

    private Draft openDraft(long id) {
        Draft d = find(id);
        if (d.status() != DraftStore.Status.OPEN) {
            throw AdminException.conflict(
                    "draft_closed",
                    "draft " + id + " is " + d.status().name().toLowerCase() + " and can no longer change");
        }
        return d;
    }

    private static void requirePerson(Principal who, Permission p) {
        if (!who.may(p)) {
            throw AdminException.forbidden("approving needs the privacy_officer or owner role, signed in as a person");
        }
    }

    private static Map<String, Object> detail(Draft d, List<PolicyDiff.Change> changes, @Nullable String how) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("revision", d.revision());
        if (how != null) {
            m.put("from", how);
        }
        m.put("changes", changes.stream().map(PolicyDiff.Change::toString).toList());
        return m;
    }

    /** The open draft to which API edits of destinations go when the caller names none: a new one. */
    public Optional<Draft> openDraft(@Nullable Long id) {
        return id == null ? Optional.empty() : Optional.of(openDraft(id.longValue()));
    }
}
