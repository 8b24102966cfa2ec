package dev.veil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.store.DraftStore.Draft;
import dev.veil.store.DraftStore.Status;
import dev.veil.store.TestEvents.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link DraftStore} backend must have. */
public abstract class DraftStoreContract {

    protected static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");

    @TempDir
    protected Path dir;

    protected final MutableClock clock = new MutableClock(T0);
    protected final MasterKey key = MasterKey.random();

    protected abstract DraftStore open(Path dir, MasterKey key, MutableClock clock);

    @Test
    void revises_a_draft_only_from_the_revision_the_editor_saw() {
        DraftStore s = open(dir, key, clock);
        Draft d = s.createDraft(3, "version: 1\n", "alice", "start");

        assertThat(d.revision()).isEqualTo(1);
        assertThat(d.editors()).containsExactly("alice");
        Draft r2 = s.reviseDraft(d.id(), 1, "version: 1 # b\n", "bob", "edit").orElseThrow();
        assertThat(r2.revision()).isEqualTo(2);
        assertThat(r2.editors()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(r2.lastEditor()).isEqualTo("bob");
        assertThat(r2.author()).isEqualTo("alice");
        assertThat(r2.baseVersion()).isEqualTo(3);
        assertThat(s.reviseDraft(d.id(), 1, "stale", "carol", "")).isEmpty();
        assertThat(s.draft(d.id()).orElseThrow().yaml()).isEqualTo("version: 1 # b\n");
    }

    @Test
    void approvals_name_a_revision_and_closed_drafts_cannot_change() {
        DraftStore s = open(dir, key, clock);
        Draft d = s.createDraft(0, "version: 1\n", "alice", "");
        s.approve(d.id(), 1, "bob", "ok");

        assertThat(s.approvals(d.id())).singleElement().satisfies(a -> {
            assertThat(a.revision()).isEqualTo(1);
            assertThat(a.approver()).isEqualTo("bob");
        });
        assertThat(s.markPublished(d.id(), 4, "bob")).isTrue();
        assertThat(s.markPublished(d.id(), 5, "bob")).isFalse();
        assertThat(s.discard(d.id(), "bob")).isFalse();
        Draft published = s.draft(d.id()).orElseThrow();
        assertThat(published.status()).isEqualTo(Status.PUBLISHED);
        assertThat(published.publishedVersion()).isEqualTo(4);
        assertThat(s.publishedAs(4)).map(Draft::id).contains(d.id());
        assertThatThrownBy(() -> s.reviseDraft(d.id(), 1, "x", "alice", ""))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("published");
    }

    @Test
    void lists_open_drafts_and_all_drafts_newest_first() {
        DraftStore s = open(dir, key, clock);
        Draft a = s.createDraft(0, "a", "alice", "");
        Draft b = s.createDraft(0, "b", "alice", "");
        s.discard(a.id(), "alice");

        assertThat(s.drafts(true)).extracting(Draft::id).containsExactly(b.id());
        assertThat(s.drafts(false)).extracting(Draft::id).containsExactly(b.id(), a.id());
    }

    @Test
    void the_two_person_rule_is_on_until_switched_off() {
        DraftStore s = open(dir, key, clock);
        assertThat(s.twoPersonRule()).isTrue();
        s.setTwoPersonRule(false);
        assertThat(open(dir, key, clock).twoPersonRule()).isFalse();
    }
}
