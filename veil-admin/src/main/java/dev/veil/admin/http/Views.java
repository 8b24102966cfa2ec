package dev.veil.admin.http;

import dev.veil.admin.policy.DraftService.DraftView;
import dev.veil.core.policy.PolicyDiff;
import dev.veil.core.policy.PolicyProblem;
import dev.veil.store.AccountStore.ApiToken;
import dev.veil.store.AccountStore.User;
import dev.veil.store.ConfigStore.Source;
import dev.veil.store.DraftStore.Approval;
import dev.veil.store.DraftStore.Draft;
import dev.veil.store.audit.AuditEntry;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the API returns, as plain records: only fields meant to leave the server (no hashes, no secrets, no
 * internal objects).
 */
final class Views {

    private Views() {}

    record UserView(
            String username,
            String displayName,
            String role,
            boolean setupComplete,
            boolean totpEnrolled,
            boolean disabled,
            @Nullable Instant lockedUntil,
            Instant createdAt,
            Instant updatedAt) {
        static UserView of(User u) {
            return new UserView(
                    u.username(),
                    u.displayName(),
                    u.role(),
                    u.hasPassword(),
                    u.hasTotp(),
                    u.disabled(),
                    u.lockedUntil(),
                    u.createdAt(),
                    u.updatedAt());
        }
    }

    record TokenView(
            String id,
            String name,
            String role,
            String createdBy,
            Instant createdAt,
            Instant expiresAt,
            @Nullable Instant revokedAt,
            @Nullable Instant lastUsedAt) {
        static TokenView of(ApiToken t) {
            return new TokenView(
                    t.id(),
                    t.name(),
                    t.role(),
                    t.createdBy(),
                    t.createdAt(),
                    t.expiresAt(),
                    t.revokedAt(),
                    t.lastUsedAt());
        }
    }

    record SourceView(
            String id,
            String name,
            List<String> allowedOrigins,
            boolean hasWriteKey,
            Instant createdAt,
            Instant updatedAt) {
        static SourceView of(Source s) {
            return new SourceView(s.id(), s.name(), s.allowedOrigins(), s.hasWriteKey(), s.createdAt(), s.updatedAt());
        }
    }

    record DraftSummary(
            long id,
            int baseVersion,
            int revision,
            String author,
            List<String> editors,
            String comment,
            String status,
            @Nullable Integer publishedVersion,
            Instant createdAt,
            Instant updatedAt) {
        static DraftSummary of(Draft d) {
            return new DraftSummary(
                    d.id(),
                    d.baseVersion(),
                    d.revision(),
                    d.author(),
                    d.editors().stream().sorted().toList(),
                    d.comment(),
                    d.status().name().toLowerCase(),
                    d.publishedVersion(),
                    d.createdAt(),
                    d.updatedAt());
        }
    }

    record ProblemView(String path, int line, String message) {
        static ProblemView of(PolicyProblem p) {
            return new ProblemView(p.path(), p.line(), p.toString());
        }
    }

    record ChangeView(String subject, String text) {
        static ChangeView of(PolicyDiff.Change c) {
            return new ChangeView(c.subject(), c.toString());
        }
    }

    record ApprovalView(int revision, String approver, String comment, Instant at) {
        static ApprovalView of(Approval a) {
            return new ApprovalView(a.revision(), a.approver(), a.comment(), a.at());
        }
    }

    record DraftDetail(
            DraftSummary draft,
            String yaml,
            boolean valid,
            List<ProblemView> errors,
            List<ProblemView> warnings,
            List<ChangeView> changes,
            List<ApprovalView> approvals,
            List<String> approvedBy,
            boolean approvalRequired,
            boolean publishable,
            @Nullable String blockedBecause) {
        static DraftDetail of(DraftView v) {
            return new DraftDetail(
                    DraftSummary.of(v.draft()),
                    v.draft().yaml(),
                    v.report().valid(),
                    v.report().errors().stream().map(ProblemView::of).toList(),
                    v.report().warnings().stream().map(ProblemView::of).toList(),
                    v.changes().stream().map(ChangeView::of).toList(),
                    v.approvals().stream().map(ApprovalView::of).toList(),
                    v.validApprovers(),
                    v.approvalRequired(),
                    v.blockedBecause() == null,
                    v.blockedBecause());
        }
    }

    record AuditView(
            long seq,
            Instant at,
            String actor,
            String action,
            String target,
            String outcome,
            com.fasterxml.jackson.databind.JsonNode detail,
            String prevHash,
            String hash) {
        static AuditView of(AuditEntry e) {
            com.fasterxml.jackson.databind.JsonNode detail;
            try {
                detail = AdminApi.JSON.readTree(e.detail());
            } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
                detail = AdminApi.JSON.getNodeFactory().textNode(e.detail());
            }
            return new AuditView(
                    e.seq(), e.at(), e.actor(), e.action(), e.target(), e.outcome(), detail, e.prevHash(), e.hash());
        }
    }
}
