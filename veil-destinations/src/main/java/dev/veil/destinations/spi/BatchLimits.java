package dev.veil.destinations.spi;

/**
 * @param maxEvents most events per request
 * @param maxBytes most body bytes per request (uncompressed)
 */
public record BatchLimits(int maxEvents, int maxBytes) {
    public BatchLimits {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("batch limits must be positive");
        }
    }
}
