package dev.veil.server.delivery;

import dev.veil.core.policy.DestinationPolicy;
import dev.veil.destinations.spi.Connector;

/**
 * Builds the connector of a destination from its policy (type and settings, secrets resolved). The server wires
 * this to {@link dev.veil.destinations.spi.ConnectorFactory#loadAll()} and its secret resolver.
 */
@FunctionalInterface
public interface ConnectorProvider {

    /**
     * @throws IllegalArgumentException naming the setting (never its value) when the destination cannot be built
     */
    Connector create(DestinationPolicy destination);
}
