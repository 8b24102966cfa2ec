package dev.veil.destinations.spi;

import dev.veil.api.ConnectorDescriptor;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Creates connectors of one type. Found with {@link ServiceLoader}; implementations are stateless. */
public interface ConnectorFactory {

    /** The type, its settings (secret ones marked) and defaults. */
    ConnectorDescriptor descriptor();

    /**
     * Creates a connector for one destination.
     *
     * @param destinationId the destination's id (for messages and metrics)
     * @param settings resolved settings: secrets already read from their {@code ${env:…}}/{@code ${file:…}}
     *     references, defaults filled in for absent optional settings
     * @throws IllegalArgumentException naming the setting (never its value) when a setting is missing or invalid
     */
    Connector create(String destinationId, Map<String, String> settings);

    /** Every factory on the class path, keyed by type. */
    static Map<String, ConnectorFactory> loadAll() {
        Map<String, ConnectorFactory> byType = new TreeMap<>();
        for (ConnectorFactory f : ServiceLoader.load(ConnectorFactory.class)) {
            byType.put(f.descriptor().type(), f);
        }
        return byType;
    }
}
