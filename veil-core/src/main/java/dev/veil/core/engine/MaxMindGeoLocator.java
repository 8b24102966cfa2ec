package dev.veil.core.engine;

import com.maxmind.db.CHMCache;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.CityResponse;
import dev.veil.api.SafeContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@link GeoLocator} over a MaxMind-format city database, loaded into memory once. Thread-safe.
 *
 * <p>Only the country ISO code and the first (state-level) subdivision ISO code are ever read: never the city,
 * postal code or coordinates.
 */
public final class MaxMindGeoLocator implements GeoLocator, AutoCloseable {

    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern REGION = Pattern.compile("[A-Z0-9]{1,3}");

    private final DatabaseReader reader;

    private MaxMindGeoLocator(DatabaseReader reader) {
        this.reader = reader;
    }

    /** Opens {@code database} into memory; fails with the path (not the content) when unreadable. */
    public static MaxMindGeoLocator open(Path database) {
        try {
            return new MaxMindGeoLocator(new DatabaseReader.Builder(database.toFile())
                    .fileMode(com.maxmind.db.Reader.FileMode.MEMORY)
                    .withCache(new CHMCache())
                    .build());
        } catch (IOException e) {
            throw new UncheckedIOException("privacy.geo.database: cannot open " + database, e);
        }
    }

    @Override
    public Optional<SafeContext.Geo> locate(String ip) {
        Optional<InetAddress> address = IpLiterals.parse(ip);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<CityResponse> city = reader.tryCity(address.get());
            if (city.isEmpty()) {
                return Optional.empty();
            }
            String country = city.get().getCountry().getIsoCode();
            if (country == null || !COUNTRY.matcher(country).matches()) {
                return Optional.empty();
            }
            String region = city.get().getSubdivisions().isEmpty()
                    ? null
                    : city.get().getSubdivisions().get(0).getIsoCode();
            if (region != null && !REGION.matcher(region).matches()) {
                region = null;
            }
            return Optional.of(new SafeContext.Geo(country, region));
        } catch (IOException | GeoIp2Exception | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    @Override
    public String toString() {
        return "MaxMindGeoLocator[" + reader.getMetadata().getDatabaseType() + "]";
    }
}
