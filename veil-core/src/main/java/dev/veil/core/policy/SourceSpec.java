package dev.veil.core.policy;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A source that may send events.
 *
 * @param id stable id
 * @param name human name
 * @param writeKey a reference to the write key ({@code ${env:…}} or {@code ${file:…}}), or null to have Veil
 *     generate one (shown once, stored hashed)
 * @param allowedOrigins browser origins allowed by CORS
 * @param identityCookie the first-party identity cookie the ingest answers set for this source's browsers, or null
 *     when off (the default)
 * @param trustedServer a backend that relays its visitors' events (e.g. with a Segment server library): the ingest
 *     API believes the messages' {@code context.ip} and {@code context.userAgent}, as Segment does for server
 *     sources, instead of the relay's own address and user agent. Such a source accepts no browser origin.
 */
public record SourceSpec(
        String id,
        String name,
        @Nullable SecretRef writeKey,
        List<String> allowedOrigins,
        @Nullable IdentityCookie identityCookie,
        boolean trustedServer) {
    public SourceSpec {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** A browser (or untrusted) source without an identity cookie. */
    public SourceSpec(String id, String name, @Nullable SecretRef writeKey, List<String> allowedOrigins) {
        this(id, name, writeKey, allowedOrigins, null, false);
    }

    /** A browser (or untrusted) source. */
    public SourceSpec(
            String id,
            String name,
            @Nullable SecretRef writeKey,
            List<String> allowedOrigins,
            @Nullable IdentityCookie identityCookie) {
        this(id, name, writeKey, allowedOrigins, identityCookie, false);
    }

    /**
     * The server-set identity cookie {@code veil_aid} (docs/sdk.md): the ingest answer to a browser sets it to the
     * anonymous id the events carried, when they carry analytics consent.
     *
     * @param domain the cookie's {@code Domain} (the site's own domain, e.g. {@code example-health.org}, when Veil
     *     is on a subdomain of it), or null for a cookie on Veil's host alone
     */
    public record IdentityCookie(@Nullable String domain) {}
}
