package dev.veil.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Policy drafts and their approvals (the two-person rule's records), plus the workflow switch itself. A draft is
 * edited in revisions; an approval names one exact revision, so an edit after approval needs a new approval.
 * Publishing stores the draft's text as a policy version in the {@link ConfigStore}; this store only marks the
 * draft published.
 *
 * <p>Thread-safe; writes are durable when the method returns.
 */
public interface DraftStore {

    /** Creates an open draft at revision 1. */
    Draft createDraft(int baseVersion, String yaml, String author, String comment);

    Optional<Draft> draft(long id);

    /** Drafts, newest first; {@code openOnly} leaves out published and discarded ones. */
    List<Draft> drafts(boolean openOnly);

    /**
     * Saves a new revision of an open draft, only if its current revision is {@code expectedRevision} (so two
     * editors cannot overwrite each other unseen). Returns the updated draft, empty on a revision mismatch.
     *
     * @throws StoreException if the draft does not exist or is not open
     */
    Optional<Draft> reviseDraft(long id, int expectedRevision, String yaml, String editor, String comment);

    /** Records an approval of one revision. */
    Approval approve(long draftId, int revision, String approver, String comment);

    /** Approvals of a draft, oldest first. */
    List<Approval> approvals(long draftId);

    /** Marks an open draft published as {@code policyVersion}; returns false if it was not open. */
    boolean markPublished(long id, int policyVersion, String by);

    /** Marks an open draft discarded; returns false if it was not open. */
    boolean discard(long id, String by);

    /** The draft published as {@code policyVersion}, if one was. */
    Optional<Draft> publishedAs(int policyVersion);

    /** Whether drafts need an approval by someone other than their editors before publishing (default true). */
    boolean twoPersonRule();

    void setTwoPersonRule(boolean on);

    /** Draft states. */
    enum Status {
        OPEN,
        PUBLISHED,
        DISCARDED
    }

    /**
     * A policy draft.
     *
     * @param id 1, 2, ...
     * @param baseVersion the published policy version it started from (0: none)
     * @param yaml the current revision's text
     * @param revision 1, 2, ... one per edit
     * @param author who created it
     * @param editors everyone who saved a revision (author included)
     * @param lastEditor who saved the current revision
     * @param comment the latest revision's note
     * @param createdAt when created
     * @param updatedAt when the current revision was saved
     * @param status open, published or discarded
     * @param publishedVersion the policy version it became, if published
     * @param closedBy who published or discarded it
     */
    record Draft(
            long id,
            int baseVersion,
            String yaml,
            int revision,
            String author,
            Set<String> editors,
            String lastEditor,
            String comment,
            Instant createdAt,
            Instant updatedAt,
            Status status,
            @Nullable Integer publishedVersion,
            @Nullable String closedBy) {
        public Draft {
            Objects.requireNonNull(yaml, "yaml");
            editors = Set.copyOf(editors);
        }
    }

    /** An approval of one draft revision. */
    record Approval(long draftId, int revision, String approver, String comment, Instant at) {}
}
