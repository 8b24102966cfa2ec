package dev.veil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.admin.AdminWiring;
import dev.veil.server.pipeline.Pipeline;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The storage seam names SPIs only: nothing that serve, demo, delivery or the admin side are handed through
 * {@link Stores} names a backend class, so a PostgreSQL or Kafka backend plugs in without touching its callers.
 */
class StoresSeamTest {

    /** A type of a backend package of veil-store ({@code dev.veil.store.sqlite}, later postgres, kafka). */
    private static final java.util.regex.Pattern BACKEND =
            java.util.regex.Pattern.compile("dev\\.veil\\.store\\.(?!audit\\.)[a-z]+\\.");

    @Test
    void stores_admin_wiring_and_pipeline_expose_no_backend_type() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : List.of(Stores.class, AdminWiring.class, Pipeline.class)) {
            for (Method m : type.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers())) {
                    continue;
                }
                // Generic type names too: Optional<SqliteStores> leaks as much as SqliteStores.
                Stream.concat(Stream.of(m.getGenericReturnType()), Arrays.stream(m.getGenericParameterTypes()))
                        .map(java.lang.reflect.Type::getTypeName)
                        .filter(BACKEND.asPredicate())
                        .forEach(t -> leaks.add(type.getSimpleName() + "." + m.getName() + " uses " + t));
            }
        }
        assertThat(leaks).isEmpty();
    }
}
