package dev.veil.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.ConfigStore;
import dev.veil.store.ConfigStore.MaskingSecret;
import dev.veil.store.ConfigStore.PolicyVersion;
import dev.veil.store.ConfigStoreContract;
import dev.veil.store.MasterKey;
import dev.veil.store.TestEvents.MutableClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL {@link ConfigStore} against the contract, on a real (embedded) PostgreSQL server, plus what
 * several servers sharing one schema need: numbering and first-use generation that do not race.
 */
class PostgresConfigStoreTest extends ConfigStoreContract {

    private static final TestPostgres.Database DATABASE = TestPostgres.newDatabase(PostgresConfigStoreTest.class);

    private final Map<Path, PostgresSettings> schemas = new HashMap<>();

    @Override
    protected ConfigStore open(Path dir, MasterKey key, MutableClock clock) {
        // the contract closes what it opened
        return PostgresConfigStore.open(schemas.computeIfAbsent(dir, d -> DATABASE.newSchema()), key, clock);
    }

    @Test
    void two_servers_saving_policies_at_once_number_them_without_gaps_or_failures() throws Exception {
        ConfigStore a = open();
        ConfigStore b = open();
        List<Callable<PolicyVersion>> saves = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ConfigStore s = i % 2 == 0 ? a : b;
            saves.add(() -> s.savePolicy("version: 1\n", "server", ""));
        }

        List<PolicyVersion> saved = Together.run(saves);

        assertThat(saved).extracting(PolicyVersion::version).containsExactlyInAnyOrderElementsOf(range(1, 20));
        assertThat(a.policyHistory()).hasSize(20);
    }

    @Test
    void two_servers_starting_at_once_agree_on_one_first_masking_secret() throws Exception {
        ConfigStore a = open();
        ConfigStore b = open();
        List<Callable<List<MaskingSecret>>> reads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ConfigStore s = i % 2 == 0 ? a : b;
            reads.add(s::maskingSecrets);
        }

        List<List<MaskingSecret>> seen = Together.run(reads);

        assertThat(seen)
                .allSatisfy(l -> assertThat(l).isEqualTo(seen.getFirst()).hasSize(1));
    }

    @Test
    void of_two_servers_generating_a_write_key_at_once_one_hands_it_out() throws Exception {
        ConfigStore a = open();
        ConfigStore b = open();
        a.saveSource("web", "Website", List.of());
        List<Callable<Optional<String>>> tries = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ConfigStore s = i % 2 == 0 ? a : b;
            tries.add(() -> s.ensureGeneratedWriteKey("web"));
        }

        List<String> handedOut =
                Together.run(tries).stream().flatMap(Optional::stream).toList();

        assertThat(handedOut).hasSize(1);
        assertThat(b.findSourceByWriteKey(handedOut.getFirst()))
                .map(ConfigStore.Source::id)
                .hasValue("web");
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }
}
