package dev.veil.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * TLS terminated by Veil itself (docs/deploy.md): a PEM certificate chain and its PEM private key, re-read when
 * either file changes.
 *
 * @param certificate PEM file with the server certificate first, then its intermediates (e.g. certbot's
 *     {@code fullchain.pem})
 * @param privateKey PEM file with the unencrypted private key (PKCS#8, PKCS#1 or SEC1; e.g. {@code privkey.pem})
 * @param reloadCheck how often the files are checked for changes
 * @param hstsMaxAge the {@code Strict-Transport-Security} max-age sent on every response (zero: no HSTS)
 */
public record TlsSettings(Path certificate, Path privateKey, Duration reloadCheck, Duration hstsMaxAge) {

    public TlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(reloadCheck, "reloadCheck");
        Objects.requireNonNull(hstsMaxAge, "hstsMaxAge");
        if (reloadCheck.isNegative() || reloadCheck.isZero()) {
            throw new IllegalArgumentException("tls.reloadCheck must be positive");
        }
        if (hstsMaxAge.isNegative()) {
            throw new IllegalArgumentException("tls.hstsMaxAge must not be negative");
        }
    }

    /** The files, checked every minute, HSTS for one year. */
    public static TlsSettings of(Path certificate, Path privateKey) {
        return new TlsSettings(certificate, privateKey, Duration.ofMinutes(1), Duration.ofDays(365));
    }
}
