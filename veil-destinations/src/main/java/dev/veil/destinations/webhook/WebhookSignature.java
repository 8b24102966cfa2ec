package dev.veil.destinations.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code X-Veil-Signature} scheme: {@code t=<unix seconds>,v1=<hex HMAC-SHA-256(secret, t + "." + body)>}.
 * Receivers recompute the HMAC over the raw body bytes, compare in constant time and refuse old timestamps.
 */
public final class WebhookSignature {

    /** The header carrying the signature. */
    public static final String HEADER = "X-Veil-Signature";

    private WebhookSignature() {}

    /** The header value for a body signed at {@code at}. */
    public static String sign(byte[] secret, Instant at, byte[] body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret, t, body));
    }

    /**
     * Whether {@code header} is a valid signature of {@code body} made no more than {@code tolerance} before (or
     * after) {@code now}.
     */
    public static boolean verify(byte[] secret, String header, byte[] body, Instant now, Duration tolerance) {
        long t = -1;
        byte[] given = null;
        for (String part : header.split(",")) {
            String p = part.trim();
            try {
                if (p.startsWith("t=")) {
                    t = Long.parseLong(p.substring(2));
                } else if (p.startsWith("v1=")) {
                    given = HexFormat.of().parseHex(p.substring(3));
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        if (t < 0 || given == null) {
            return false;
        }
        if (Duration.between(Instant.ofEpochSecond(t), now).abs().compareTo(tolerance) > 0) {
            return false;
        }
        return MessageDigest.isEqual(hmac(secret, t, body), given);
    }

    private static byte[] hmac(byte[] secret, long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
