package dev.veil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.StoreBackends;
import dev.veil.store.MasterKey;
import dev.veil.store.postgres.PostgresSettings;
import dev.veil.store.postgres.PostgresStores;
import dev.veil.store.postgres.TestPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every CLI command that opens stores, given {@code --config veil.yaml} with {@code storage: postgres}, works on the
 * PostgreSQL schema the config names (as {@code serve} does) and leaves no SQLite store in the data directory.
 */
class PostgresCliTest {

    private static final TestPostgres.Database DB = TestPostgres.newDatabase(PostgresCliTest.class);

    @TempDir
    Path dir;

    private PostgresSettings pg;
    private Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        pg = DB.newSchema();
        Files.writeString(dir.resolve("pg.password"), "unused-with-trust-auth\n");
        config = dir.resolve("veil.yaml");
        Files.writeString(config, """
                dataDir: data
                storage:
                  kind: postgres
                  url: %s
                  user: %s
                  password: ${file:%s}
                  schema: %s
                  maxPoolSize: 2
                """.formatted(pg.jdbcUrl(), pg.user(), dir.resolve("pg.password"), pg.schema()));
        Files.writeString(dir.resolve("policy.yaml"), """
                version: 1
                sources:
                  - id: site
                    name: Site
                """);
    }

    record Run(int code, String out, String err) {}

    private static Run veil(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = VeilCommand.newCommandLine(StoreBackends::open);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    private Run veilOn(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return veil(all);
    }

    @Test
    void users_policy_keys_audit_and_dlq_act_on_the_postgres_stores() throws Exception {
        Run approvals = veilOn("policy", "approvals", "off");
        assertThat(approvals.code()).as(approvals.out() + approvals.err()).isZero();
        Run apply = veilOn("policy", "apply", dir.resolve("policy.yaml").toString());
        assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
        assertThat(apply.out()).contains("applied version 1");
        Run add = veilOn("users", "add", "alice", "--role", "owner");
        assertThat(add.code()).as(add.err()).isZero();
        assertThat(add.out()).contains("one-time setup link for alice (owner");
        assertThat(veilOn("users", "list").out()).contains("alice").contains("invited");
        assertThat(veilOn("policy", "history").out()).containsPattern("(?m)^1 ");
        assertThat(veilOn("policy", "export").out()).contains("id: site");
        assertThat(veilOn("policy", "diff", dir.resolve("policy.yaml").toString())
                        .out())
                .contains("comparing applied version 1");

        assertThat(veilOn("keys", "rotate").code()).isZero();
        assertThat(veilOn("keys", "list").out()).containsPattern("(?m)^2 .*current");

        Run verify = veilOn("audit", "verify");
        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
        Run dlq = veilOn("dlq", "list", "hook");
        assertThat(dlq.code()).as(dlq.out() + dlq.err()).isZero();

        // It is all in PostgreSQL, under the data directory's master key ...
        try (PostgresStores stores = PostgresStores.open(pg, MasterKey.load(dir.resolve("data")), Clock.systemUTC())) {
            assertThat(stores.accounts().user("alice")).isPresent();
            assertThat(stores.config().latestPolicy().orElseThrow().version()).isEqualTo(1);
            assertThat(stores.config().maskingSecrets()).hasSize(2);
            assertThat(stores.audit().latest(100, "").stream().map(e -> e.action()))
                    .contains("user.create", "policy.apply");
        }
        // ... and nothing in SQLite: the data directory holds the master key (and dlq's replay queue) only.
        try (var files = Files.list(dir.resolve("data"))) {
            assertThat(files.map(f -> f.getFileName().toString())).doesNotContain("config.db", "deadletters.db");
        }
        Run sqlite = veil("users", "list", "--data-dir", dir.resolve("data").toString());
        assertThat(sqlite.code()).isEqualTo(1);
        assertThat(sqlite.err()).contains("no Veil workspace in");
    }

    @Test
    void config_and_data_dir_together_are_refused() {
        Run both = veil("users", "list", "--config", config.toString(), "--data-dir", dir.toString());
        assertThat(both.code()).isEqualTo(1);
        assertThat(both.err()).contains("give --config or --data-dir, not both");
    }

    @Test
    void an_unreadable_password_file_names_the_key_and_the_file_never_a_value() throws Exception {
        Files.delete(dir.resolve("pg.password"));
        Run list = veilOn("users", "list");
        assertThat(list.code()).isEqualTo(1);
        assertThat(list.err())
                .contains("config " + config + " storage.password: cannot read " + dir.resolve("pg.password"))
                .doesNotContain("unused-with-trust-auth");
        Run dlq = veilOn("dlq", "list", "hook");
        assertThat(dlq.code()).isEqualTo(1);
        assertThat(dlq.err()).contains("storage.password: cannot read");
        Run serve = veil("serve", "--config", config.toString());
        assertThat(serve.code()).isEqualTo(1);
        assertThat(serve.err()).contains("config " + config + " storage.password: cannot read");
        assertThat(dir.resolve("data"))
                .as("nothing created before the config resolved")
                .doesNotExist();
    }

    @Test
    void with_sqlite_storage_the_config_and_its_data_dir_are_the_same_workspace() throws Exception {
        Files.writeString(config, "dataDir: data\nstorage: sqlite\n");
        Run add = veilOn("users", "add", "bob", "--role", "owner");
        assertThat(add.code()).as(add.err()).isZero();
        assertThat(veil("users", "list", "--data-dir", dir.resolve("data").toString())
                        .out())
                .contains("bob");
        Run dlq = veilOn("dlq", "list", "hook");
        assertThat(dlq.code()).as(dlq.out() + dlq.err()).isZero();
        Run verify = veilOn("audit", "verify");
        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
        assertThat(dir.resolve("data").resolve("config.db")).exists();
    }

    @Test
    void an_invalid_storage_block_is_a_config_error_with_the_key() throws Exception {
        Files.writeString(
                config, "storage:\n  kind: postgres\n  url: jdbc:postgresql://db/veil?password=x\n" + "  user: veil\n");
        Run list = veilOn("users", "list");
        assertThat(list.code()).isEqualTo(1);
        assertThat(list.err()).contains("storage.url: must not carry the password");
    }
}
