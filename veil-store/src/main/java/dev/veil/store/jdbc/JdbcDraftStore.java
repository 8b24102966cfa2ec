package dev.veil.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.store.DraftStore;
import dev.veil.store.StoreException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The {@link DraftStore} of the SQL backends: tables {@code policy_drafts} (ids assigned by the database on insert:
 * an identity column, SQLite's rowid), {@code policy_approvals} and {@code admin_settings}. A revision locks its
 * draft's row first ({@link SqlDialect#forUpdate()}), so two editors who saw the same revision cannot both win;
 * closing a draft is one conditional {@code UPDATE}. Thread-safe.
 */
public final class JdbcDraftStore implements DraftStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TWO_PERSON_RULE = "two_person_rule";

    private final SqlConnections db;
    private final SqlDialect dialect;
    private final Clock clock;

    public JdbcDraftStore(SqlConnections db, SqlDialect dialect, Clock clock) {
        this.db = db;
        this.dialect = dialect;
        this.clock = clock;
    }

    @Override
    public Draft createDraft(int baseVersion, String yaml, String author, String comment) {
        return db.write("create draft", c -> {
            long now = clock.millis();
            long id = Jdbc.queryOne(
                            c,
                            "INSERT INTO policy_drafts(base_version, yaml, revision, author, editors, last_editor,"
                                    + " comment, created_at, updated_at, status) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?,"
                                    + " 'OPEN') RETURNING id",
                            rs -> rs.getLong(1),
                            baseVersion,
                            yaml,
                            author,
                            toJson(Set.of(author)),
                            author,
                            comment,
                            now,
                            now)
                    .orElseThrow();
            return find(c, id, false).orElseThrow();
        });
    }

    @Override
    public Optional<Draft> draft(long id) {
        return db.read("get draft " + id, c -> find(c, id, false));
    }

    @Override
    public List<Draft> drafts(boolean openOnly) {
        return db.read(
                "list drafts",
                c -> Jdbc.query(
                        c,
                        "SELECT * FROM policy_drafts" + (openOnly ? " WHERE status = 'OPEN'" : "")
                                + " ORDER BY id DESC",
                        JdbcDraftStore::draft));
    }

    @Override
    public Optional<Draft> reviseDraft(long id, int expectedRevision, String yaml, String editor, String comment) {
        return db.write("revise draft " + id, c -> {
            Draft d = find(c, id, true)
                    .orElseThrow(() -> new StoreException("draft store: draft " + id + " does not exist"));
            if (d.status() != Status.OPEN) {
                throw new StoreException("draft store: draft " + id + " is "
                        + d.status().name().toLowerCase() + " and can no longer change");
            }
            if (d.revision() != expectedRevision) {
                return Optional.<Draft>empty();
            }
            Set<String> editors = new TreeSet<>(d.editors());
            editors.add(editor);
            Jdbc.update(
                    c,
                    "UPDATE policy_drafts SET yaml = ?, revision = revision + 1, editors = ?, last_editor = ?,"
                            + " comment = ?, updated_at = ? WHERE id = ?",
                    yaml,
                    toJson(editors),
                    editor,
                    comment,
                    clock.millis(),
                    id);
            return find(c, id, false);
        });
    }

    @Override
    public Approval approve(long draftId, int revision, String approver, String comment) {
        return db.write("approve draft " + draftId, c -> {
            long now = clock.millis();
            Jdbc.update(
                    c,
                    "INSERT INTO policy_approvals(draft_id, revision, approver, comment, at) VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT (draft_id, revision, approver) DO UPDATE SET comment = excluded.comment,"
                            + " at = excluded.at",
                    draftId,
                    revision,
                    approver,
                    comment,
                    now);
            return new Approval(draftId, revision, approver, comment, Instant.ofEpochMilli(now));
        });
    }

    @Override
    public List<Approval> approvals(long draftId) {
        return db.read(
                "approvals of draft " + draftId,
                c -> Jdbc.query(
                        c,
                        "SELECT * FROM policy_approvals WHERE draft_id = ? ORDER BY at, revision, "
                                + dialect.binaryOrder("approver"),
                        rs -> new Approval(
                                rs.getLong("draft_id"),
                                rs.getInt("revision"),
                                rs.getString("approver"),
                                rs.getString("comment"),
                                Jdbc.instant(rs, "at")),
                        draftId));
    }

    @Override
    public boolean markPublished(long id, int policyVersion, String by) {
        return close(id, "PUBLISHED", policyVersion, by);
    }

    @Override
    public boolean discard(long id, String by) {
        return close(id, "DISCARDED", null, by);
    }

    private boolean close(long id, String status, @Nullable Integer version, String by) {
        return db.write(
                "close draft " + id,
                c -> Jdbc.update(
                                c,
                                "UPDATE policy_drafts SET status = ?, published_version = ?, closed_by = ?,"
                                        + " updated_at = ? WHERE id = ? AND status = 'OPEN'",
                                status,
                                version,
                                by,
                                clock.millis(),
                                id)
                        > 0);
    }

    @Override
    public Optional<Draft> publishedAs(int policyVersion) {
        return db.read(
                "draft of policy version " + policyVersion,
                c -> Jdbc.queryOne(
                        c,
                        "SELECT * FROM policy_drafts WHERE published_version = ? ORDER BY id LIMIT 1",
                        JdbcDraftStore::draft,
                        policyVersion));
    }

    @Override
    public boolean twoPersonRule() {
        return db.read(
                "two-person rule",
                c -> Jdbc.queryOne(
                                c,
                                "SELECT value FROM admin_settings WHERE name = ?",
                                rs -> rs.getString(1),
                                TWO_PERSON_RULE)
                        .map(Boolean::parseBoolean)
                        .orElse(true));
    }

    @Override
    public void setTwoPersonRule(boolean on) {
        db.write(
                "set two-person rule",
                c -> Jdbc.update(
                        c,
                        "INSERT INTO admin_settings(name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET"
                                + " value = excluded.value",
                        TWO_PERSON_RULE,
                        Boolean.toString(on)));
    }

    private Optional<Draft> find(Connection c, long id, boolean lock) throws SQLException {
        return Jdbc.queryOne(
                c,
                "SELECT * FROM policy_drafts WHERE id = ?" + (lock ? dialect.forUpdate() : ""),
                JdbcDraftStore::draft,
                id);
    }

    private static Draft draft(ResultSet rs) throws SQLException {
        int published = rs.getInt("published_version");
        Integer publishedVersion = rs.wasNull() ? null : published;
        return new Draft(
                rs.getLong("id"),
                rs.getInt("base_version"),
                rs.getString("yaml"),
                rs.getInt("revision"),
                rs.getString("author"),
                fromJson(rs.getString("editors")),
                rs.getString("last_editor"),
                rs.getString("comment"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"),
                Status.valueOf(rs.getString("status")),
                publishedVersion,
                rs.getString("closed_by"));
    }

    private static String toJson(Set<String> set) {
        try {
            return JSON.writeValueAsString(new TreeSet<>(set));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("draft store: cannot encode editors", e);
        }
    }

    private static Set<String> fromJson(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Set<String>>() {});
        } catch (JsonProcessingException e) {
            throw new StoreException("draft store: column editors is not a JSON string array");
        }
    }
}
