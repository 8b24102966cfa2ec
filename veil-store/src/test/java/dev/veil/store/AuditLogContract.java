package dev.veil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.TestEvents.MutableClock;
import dev.veil.store.audit.AuditChain;
import dev.veil.store.audit.AuditEntry;
import dev.veil.store.audit.AuditRecord;
import dev.veil.store.audit.AuditVerification;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link AuditLog} backend must have, including the tamper cases: each backend implements
 * the raw manipulations (as an attacker with write access to its storage would do them) and the log must name
 * where its chain breaks.
 */
public abstract class AuditLogContract {

    protected static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");

    @TempDir
    protected Path dir;

    protected final MutableClock clock = new MutableClock(T0);
    protected final MasterKey key = MasterKey.random();

    /** Opens the log in {@code dir}; the same directory and key reopen the same log. */
    protected abstract AuditLog open(Path dir, MasterKey key, MutableClock clock);

    /** Overwrites the stored detail of entry {@code seq} without touching its hashes. */
    protected abstract void tamperEditDetail(long seq, String detail);

    /** Deletes entry {@code seq}. */
    protected abstract void tamperDelete(long seq);

    /** Stores {@code forged} (with its own seq) as if it were a real entry, renumbering later ones up by one. */
    protected abstract void tamperInsert(AuditEntry forged);

    /** Swaps the contents (all but the sequence number) of entries {@code a} and {@code b}. */
    protected abstract void tamperSwap(long a, long b);

    /** Deletes every entry after {@code seq}. */
    protected abstract void tamperTruncateAfter(long seq);

    /** Replaces every entry from {@code seq} on with the given entries (a rewrite with recomputed hashes). */
    protected abstract void tamperReplaceFrom(long seq, List<AuditEntry> entries);

    protected AuditLog log;

    protected AuditLog withFiveEntries() {
        log = open(dir, key, clock);
        for (int i = 1; i <= 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            log.append(new AuditRecord("user:alice", "policy.publish", "policy:" + i, "success", "{\"n\":" + i + "}"));
        }
        return log;
    }

    @Test
    void appends_chained_entries_numbered_from_one() {
        AuditLog l = open(dir, key, clock);
        AuditEntry first = l.append(AuditRecord.success("user:alice", "auth.login", ""));
        clock.advance(Duration.ofMillis(1500));
        AuditEntry second = l.append(new AuditRecord("cli:root", "policy.apply", "policy", "success", "{\"a\":1}"));

        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prevHash()).isEqualTo(AuditChain.GENESIS);
        assertThat(first.at()).isEqualTo(T0);
        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.prevHash()).isEqualTo(first.hash());
        assertThat(second.hash()).isEqualTo(AuditChain.hashOf(second)).hasSize(64);
        assertThat(l.read(0, 10)).containsExactly(first, second);
        assertThat(l.read(1, 10)).containsExactly(second);
        assertThat(l.latest(10, "")).containsExactly(second, first);
        assertThat(l.latest(10, "policy.")).containsExactly(second);
    }

    @Test
    void an_untouched_log_verifies_and_survives_reopening() {
        withFiveEntries();
        AuditLog reopened = open(dir, key, clock);
        reopened.append(AuditRecord.success("system", "server.start", ""));

        AuditVerification v = reopened.verify();
        assertThat(v.intact()).as(v.describe().orElse("")).isTrue();
        assertThat(v.entries()).isEqualTo(6);
        assertThat(v.headSeq()).isEqualTo(6);
    }

    @Test
    void an_empty_log_verifies() {
        assertThat(open(dir, key, clock).verify().intact()).isTrue();
    }

    @Test
    void concurrent_appends_keep_one_unbroken_chain() throws Exception {
        AuditLog l = open(dir, key, clock);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<AuditEntry>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                futures.add(pool.submit(() -> l.append(AuditRecord.success("user:u" + n, "x.y", ""))));
            }
            for (Future<AuditEntry> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        AuditVerification v = l.verify();
        assertThat(v.intact()).as(v.describe().orElse("")).isTrue();
        assertThat(v.entries()).isEqualTo(40);
    }

    @Test
    void an_edited_entry_is_found() {
        withFiveEntries();
        tamperEditDetail(3, "{\"n\":33}");

        AuditVerification v = log.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenAt()).isEqualTo(3);
        assertThat(v.problem()).contains("edited");
    }

    @Test
    void a_deleted_entry_is_found() {
        withFiveEntries();
        tamperDelete(2);

        AuditVerification v = log.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenAt()).isEqualTo(3);
        assertThat(v.problem()).contains("deleted");
    }

    @Test
    void an_inserted_entry_is_found() {
        withFiveEntries();
        AuditEntry two = log.read(1, 1).get(0);
        // A forged entry that claims to follow entry 2 and carries a correct hash of its own content.
        AuditEntry forged = AuditChain.forMasterKey(MasterKey.random().bytes())
                .next(two, AuditRecord.success("user:mallory", "policy.approve", "policy:3"), T0);
        tamperInsert(forged);

        AuditVerification v = log.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenAt()).isEqualTo(4);
        assertThat(v.problem()).contains("inserted");
    }

    @Test
    void reordered_entries_are_found() {
        withFiveEntries();
        tamperSwap(2, 4);

        AuditVerification v = log.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenAt()).isEqualTo(2);
        assertThat(v.problem()).contains("reordered");
    }

    @Test
    void a_truncated_tail_is_found() {
        withFiveEntries();
        tamperTruncateAfter(3);

        AuditVerification v = log.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.brokenAt()).isEqualTo(4);
        assertThat(v.problem())
                .contains("truncated")
                .contains("ends at entry 3")
                .contains("names entry 5");
    }

    @Test
    void a_tail_rewritten_with_recomputed_hashes_is_found() {
        withFiveEntries();
        List<AuditEntry> entries = log.read(0, 10);
        // The attacker recomputes a consistent chain from entry 4 on, but cannot move the anchor.
        AuditChain attackers = AuditChain.forMasterKey(MasterKey.random().bytes());
        AuditEntry four = attackers.next(entries.get(2), AuditRecord.success("user:mallory", "x", ""), T0);
        AuditEntry five = attackers.next(four, AuditRecord.success("user:mallory", "y", ""), T0);
        tamperReplaceFrom(4, List.of(four, five));

        AuditVerification v = log.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).contains("rewritten");
    }

    @Test
    void an_anchor_from_another_master_key_is_refused() {
        withFiveEntries();
        AuditVerification v = open(dir, MasterKey.random(), clock).verify();

        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).contains("MAC");
    }
}
