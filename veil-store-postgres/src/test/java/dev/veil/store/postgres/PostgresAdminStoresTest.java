package dev.veil.store.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.store.MasterKey;
import dev.veil.store.StoreException;
import dev.veil.store.audit.AuditEntry;
import dev.veil.store.audit.AuditRecord;
import dev.veil.store.audit.AuditVerification;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the PostgreSQL admin stores promise beyond the contracts: two servers sharing one database (two pools
 * here) keep one audit chain and cannot both spend one recovery code or win one draft revision; nothing secret
 * reaches the database in the clear; connection failures name the server, not the password.
 */
class PostgresAdminStoresTest {

    private static final TestPostgres.Database DATABASE = TestPostgres.newDatabase(PostgresAdminStoresTest.class);

    private final MasterKey key = MasterKey.random();
    private final PostgresSettings settings = DATABASE.newSchema();
    private final List<PostgresAdminStores> opened = new ArrayList<>();

    private PostgresAdminStores open() {
        PostgresAdminStores s = PostgresAdminStores.open(settings, key, Clock.systemUTC());
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(PostgresAdminStores::close);
    }

    @Test
    void two_servers_appending_from_many_threads_keep_one_unbroken_chain() throws Exception {
        PostgresAdminStores a = open();
        PostgresAdminStores b = open();
        int perServer = 60;
        List<Callable<AuditEntry>> appends = new ArrayList<>();
        for (int i = 0; i < perServer; i++) {
            int n = i;
            appends.add(() -> a.audit().append(AuditRecord.success("user:a" + n, "x.a", "")));
            appends.add(() -> b.audit().append(AuditRecord.success("user:b" + n, "x.b", "")));
        }

        List<AuditEntry> entries = runTogether(appends);

        assertThat(entries).extracting(AuditEntry::seq).doesNotHaveDuplicates();
        AuditVerification v = a.audit().verify();
        assertThat(v.intact()).as(v.describe().orElse("")).isTrue();
        assertThat(v.entries()).isEqualTo(2L * perServer);
        assertThat(b.audit().verify().headSeq()).isEqualTo(2L * perServer);
    }

    @Test
    void a_recovery_code_is_spent_once_even_by_two_servers_at_once() throws Exception {
        PostgresAdminStores a = open();
        PostgresAdminStores b = open();
        a.accounts().createUser("alice", "Alice", "owner");
        a.accounts().setRecoveryCodeHashes("alice", List.of("h1", "h2"));
        List<Callable<Boolean>> uses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            PostgresAdminStores s = i % 2 == 0 ? a : b;
            uses.add(() -> s.accounts().useRecoveryCode("alice", "h1"));
        }

        assertThat(runTogether(uses)).containsOnlyOnce(true);
        assertThat(a.accounts().recoveryCodesLeft("alice")).isEqualTo(1);
    }

    @Test
    void of_two_editors_who_saw_the_same_revision_one_wins() throws Exception {
        PostgresAdminStores a = open();
        PostgresAdminStores b = open();
        long id = a.drafts().createDraft(0, "v: 1\n", "alice", "").id();

        List<Boolean> won = runTogether(List.of(
                () -> a.drafts().reviseDraft(id, 1, "v: a\n", "alice", "").isPresent(),
                () -> b.drafts().reviseDraft(id, 1, "v: b\n", "bob", "").isPresent()));

        assertThat(won).containsExactlyInAnyOrder(true, false);
        assertThat(a.drafts().draft(id).orElseThrow().revision()).isEqualTo(2);
    }

    @Test
    void secrets_and_totp_seeds_are_stored_sealed_never_plain() throws Exception {
        PostgresAdminStores s = open();
        String canary = "canary-secret-7f3a9c";
        byte[] seed = "canary-totp-seed-51e0".getBytes(UTF_8);
        s.secrets().put("ga4.apiSecret", canary, "user:alice");
        s.accounts().createUser("alice", "Alice", "owner");
        s.accounts().setTotpSecret("alice", seed);
        s.accounts().createUser("bob", "Bob", "viewer");
        s.accounts()
                .createSetupToken("token-hash", "bob", java.time.Instant.now().plusSeconds(60));
        s.accounts().setSetupTotp("token-hash", seed);

        String everything = dumpSchema();

        assertThat(everything).contains("ga4.apiSecret").contains("alice"); // the dump does see the rows
        assertThat(everything)
                .doesNotContain(canary)
                .doesNotContain(HexFormat.of().formatHex(canary.getBytes(UTF_8)))
                .doesNotContain(new String(seed, UTF_8))
                .doesNotContain(HexFormat.of().formatHex(seed));
        assertThat(s.secrets().get("ga4.apiSecret")).contains(canary);
        assertThat(s.accounts().totpSecret("alice"))
                .hasValueSatisfying(v -> assertThat(v).isEqualTo(seed));
    }

    @Test
    void reopening_a_migrated_schema_keeps_its_data_and_history() throws Exception {
        open().drafts().setTwoPersonRule(false);

        assertThat(open().drafts().twoPersonRule()).isFalse();
        List<String> history = new ArrayList<>();
        try (Connection c = DATABASE.connect(settings.schema());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version || ':' || success FROM flyway_schema_history WHERE"
                        + " version IS NOT NULL ORDER BY installed_rank")) {
            while (rs.next()) {
                history.add(rs.getString(1));
            }
        }
        assertThat(history).containsExactly("1:true", "2:true", "3:true", "4:true");
    }

    @Test
    void a_server_that_cannot_be_reached_is_named_and_the_password_is_not() {
        PostgresSettings nowhere =
                new PostgresSettings("jdbc:postgresql://127.0.0.1:1/veil", "veil", "hunter2-canary", "veil", 2);

        assertThatThrownBy(() -> PostgresAdminStores.open(nowhere, key, Clock.systemUTC()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/veil as veil")
                .hasMessageNotContaining("hunter2-canary");
        assertThat(nowhere.toString()).doesNotContain("hunter2-canary").contains("██");
    }

    @Test
    void settings_refuse_a_password_in_the_url_which_would_be_logged() {
        assertThatThrownBy(() -> new PostgresSettings(
                        "jdbc:postgresql://db:5432/veil?user=veil&Password=hunter2-canary", "veil", null, "veil", 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not carry the password")
                .hasMessageNotContaining("hunter2-canary");
    }

    @Test
    void settings_refuse_a_schema_name_that_would_need_quoting() {
        assertThatThrownBy(() -> DATABASE.newSchema().withSchema("veil; DROP TABLE x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgres schema");
    }

    /** Every row of every table of the schema as text (bytea as hex), as someone reading the database would. */
    private String dumpSchema() throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = DATABASE.connect(settings.schema());
                Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema"
                    + " = current_schema() AND table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("stored_secrets", "admin_users", "admin_setup_tokens");
            for (String table : tables) {
                try (ResultSet rs = st.executeQuery("SELECT t::text FROM " + table + " t")) {
                    while (rs.next()) {
                        out.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    private static <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
        return Together.run(tasks);
    }
}
