package dev.veil.destinations.spi;

/**
 * One change a connector made to an event so that the vendor accepts it (GA4's default mode: drop the offending
 * parameter, keep the event). Counted in {@code veil.delivery.repaired}, tagged with the reason; the event is sent.
 *
 * @param messageId the event's Veil id
 * @param reason a short, stable, PHI-free code used as a metric tag, e.g. {@code param_reserved_prefix_dropped}
 */
public record Repair(String messageId, String reason) {}
