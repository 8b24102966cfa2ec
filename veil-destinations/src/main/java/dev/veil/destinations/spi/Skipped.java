package dev.veil.destinations.spi;

/**
 * An event a connector deliberately does not send (e.g. an identify call to a vendor whose event API has no use
 * for it). Not an error: it is counted in {@code veil.delivery.skipped}, tagged with the reason.
 *
 * @param messageId the event's Veil id
 * @param reason a short, stable, PHI-free code used as a metric tag, e.g. {@code identify_not_sent}; never a value
 */
public record Skipped(String messageId, String reason) {}
