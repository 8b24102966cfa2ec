package dev.veil.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.DictionaryStore;
import dev.veil.store.DictionaryStore.EventKey;
import dev.veil.store.DictionaryStore.FieldObservation;
import dev.veil.store.DictionaryStore.FieldType;
import dev.veil.store.DictionaryStoreContract;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL {@link DictionaryStore} against the contract, on a real (embedded) PostgreSQL server, plus
 * learners on two servers adding up their counts.
 */
class PostgresDictionaryStoreTest extends DictionaryStoreContract {

    private static final TestPostgres.Database DATABASE = TestPostgres.newDatabase(PostgresDictionaryStoreTest.class);

    private final Map<Path, PostgresSettings> schemas = new HashMap<>();

    @Override
    protected DictionaryStore open(Path dir) {
        // the contract closes what it opened
        return PostgresDictionaryStore.open(schemas.computeIfAbsent(dir, d -> DATABASE.newSchema()));
    }

    @Test
    void learners_on_two_servers_add_up_their_counts() throws Exception {
        DictionaryStore a = open();
        DictionaryStore b = open();
        EventKey booked = new EventKey("track", "Appointment Booked");
        Instant t0 = Instant.parse("2026-11-29T00:00:00Z");
        List<Callable<Void>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            DictionaryStore s = i % 2 == 0 ? a : b;
            FieldType type = i % 2 == 0 ? FieldType.STRING : FieldType.NUMBER;
            Instant at = t0.plusSeconds(i);
            records.add(() -> {
                s.record(List.of(new FieldObservation(booked, "properties.slot", Set.of(type), 3, at)), i0(at));
                return null;
            });
        }

        Together.run(records);

        assertThat(a.entries()).singleElement().satisfies(e -> {
            assertThat(e.count()).isEqualTo(60);
            assertThat(e.types()).containsExactlyInAnyOrder(FieldType.STRING, FieldType.NUMBER);
            assertThat(e.firstSeen()).isEqualTo(t0);
            assertThat(e.lastSeen()).isEqualTo(t0.plusSeconds(19));
        });
    }

    private static long i0(Instant at) {
        return at.getEpochSecond();
    }
}
