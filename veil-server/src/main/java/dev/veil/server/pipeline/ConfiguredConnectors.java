package dev.veil.server.pipeline;

import dev.veil.api.ConnectorDescriptor;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.SecretResolver;
import dev.veil.core.policy.SettingValue;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.ConnectorFactory;
import dev.veil.server.delivery.ConnectorProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a destination's connector from its policy: finds the factory by type, resolves secret references
 * ({@code ${env:…}}, {@code ${file:…}}) at that moment, and fills in the defaults of absent optional settings.
 * Secret values live only in the connector instance; they are never logged.
 */
public final class ConfiguredConnectors implements ConnectorProvider {

    private final Map<String, ConnectorFactory> factories;
    private final SecretResolver secrets;

    public ConfiguredConnectors(Map<String, ConnectorFactory> factories, SecretResolver secrets) {
        this.factories = Map.copyOf(factories);
        this.secrets = secrets;
    }

    /** Every connector on the class path, with secrets from the process environment and files. */
    public static ConfiguredConnectors system() {
        return new ConfiguredConnectors(ConnectorFactory.loadAll(), SecretResolver.system());
    }

    /** The descriptors of the known connector types, for the policy validator. */
    public Map<String, ConnectorDescriptor> descriptors() {
        Map<String, ConnectorDescriptor> out = new TreeMap<>();
        factories.forEach((type, f) -> out.put(type, f.descriptor()));
        return out;
    }

    @Override
    public Connector create(DestinationPolicy destination) {
        ConnectorFactory factory = factories.get(destination.type());
        if (factory == null) {
            throw new IllegalArgumentException("destination " + destination.id() + ": unknown connector type '"
                    + destination.type() + "'; known: " + factories.keySet());
        }
        Map<String, String> settings = new HashMap<>();
        for (ConnectorDescriptor.SettingSpec spec : factory.descriptor().settings()) {
            if (!spec.required() && !spec.defaultValue().isEmpty()) {
                settings.put(spec.key(), spec.defaultValue());
            }
        }
        destination
                .settings()
                .forEach((key, value) -> settings.put(
                        key,
                        switch (value) {
                            case SettingValue.Literal literal -> String.valueOf(literal.value());
                            case SettingValue.Secret secret -> secrets.resolve(secret.ref());
                        }));
        return factory.create(destination.id(), settings);
    }
}
