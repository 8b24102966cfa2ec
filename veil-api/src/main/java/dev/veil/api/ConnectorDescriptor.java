package dev.veil.api;

import java.util.List;
import java.util.Optional;

/**
 * What a connector type declares about itself: its type name, its settings (which are secret, which are
 * required) and its batch limits. The policy validator uses descriptors to refuse unknown destination types,
 * missing required settings and literal secrets. Implementations are immutable and found with {@link
 * java.util.ServiceLoader}.
 */
public interface ConnectorDescriptor {

    /** The {@code type} used in a policy's destination, e.g. {@code ga4}. */
    String type();

    /** A human name, e.g. {@code Google Analytics 4 (Measurement Protocol)}. */
    String displayName();

    /** The settings this connector understands. */
    List<SettingSpec> settings();

    /** Looks a setting up by key. */
    default Optional<SettingSpec> setting(String key) {
        return settings().stream().filter(s -> s.key().equals(key)).findFirst();
    }

    /**
     * One connector setting.
     *
     * @param key the key under {@code settings:} in the policy
     * @param description one sentence for docs and the console
     * @param required whether the destination cannot work without it
     * @param secret whether the value is a credential: it must be a {@code ${env:…}}/{@code ${file:…}}
     *     reference in the policy, and it is never logged, returned or rendered
     * @param defaultValue the default when absent (e.g. the vendor's endpoint URL), or null
     */
    record SettingSpec(String key, String description, boolean required, boolean secret, String defaultValue) {
        public static SettingSpec required(String key, String description) {
            return new SettingSpec(key, description, true, false, "");
        }

        public static SettingSpec secret(String key, String description) {
            return new SettingSpec(key, description, true, true, "");
        }

        public static SettingSpec optional(String key, String description, String defaultValue) {
            return new SettingSpec(key, description, false, false, defaultValue);
        }
    }
}
