package dev.veil.core.engine;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Real geo and user-agent parsers, built once per test JVM (Yauaa takes seconds to start). */
final class SharedParsers {

    private SharedParsers() {}

    private static final class Holder {
        static final YauaaUserAgentGeneralizer USER_AGENTS = YauaaUserAgentGeneralizer.create(1000);
        static final MaxMindGeoLocator GEO = MaxMindGeoLocator.open(geoDatabase());
    }

    static YauaaUserAgentGeneralizer userAgents() {
        return Holder.USER_AGENTS;
    }

    static MaxMindGeoLocator geo() {
        return Holder.GEO;
    }

    static Path geoDatabase() {
        try {
            return Path.of(SharedParsers.class
                    .getResource("/geo/GeoIP2-City-Test.mmdb")
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
