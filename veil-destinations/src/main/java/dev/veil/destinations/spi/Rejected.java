package dev.veil.destinations.spi;

/**
 * An event the vendor will not (or did not) accept.
 *
 * @param messageId the event's Veil id
 * @param reason a PHI-free message naming the field and the rule, e.g. {@code "params.page_title: 131 chars;
 *     GA4 allows 100"}, or the vendor's own error message
 */
public record Rejected(String messageId, String reason) {}
