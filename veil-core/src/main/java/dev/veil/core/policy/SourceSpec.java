package dev.veil.core.policy;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A source that may send events.
 *
 * @param id stable id
 * @param name human name
 * @param writeKey a reference to the write key ({@code ${env:…}} or {@code ${file:…}}), or null to have Veil
 *     generate one (shown once, stored hashed)
 * @param allowedOrigins browser origins allowed by CORS
 */
public record SourceSpec(String id, String name, @Nullable SecretRef writeKey, List<String> allowedOrigins) {
    public SourceSpec {
        allowedOrigins = List.copyOf(allowedOrigins);
    }
}
