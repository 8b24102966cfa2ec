package dev.veil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A webhook receiver that verifies Veil's {@code X-Veil-Signature: t=<unix>,v1=<hex HMAC-SHA-256(secret, t + "." +
 * body)>} like a careful receiver would (constant-time comparison, timestamp tolerance), answers 401 to bad
 * signatures and 400 to bodies that are not {@code {"batch":[events with messageId, type, timestamp]}}, and
 * deduplicates on messageId. Accepts any path.
 */
public final class FakeWebhookReceiver extends FakeVendor {

    private final byte[] secret;
    private final Duration tolerance;

    private FakeWebhookReceiver(String secret, Duration tolerance) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.tolerance = tolerance;
    }

    /** Starts a receiver with a 5-minute timestamp tolerance. */
    public static FakeWebhookReceiver start(String signingSecret) {
        return start(signingSecret, Duration.ofMinutes(5));
    }

    public static FakeWebhookReceiver start(String signingSecret, Duration tolerance) {
        FakeWebhookReceiver fake = new FakeWebhookReceiver(signingSecret, tolerance);
        fake.startServer();
        return fake;
    }

    @Override
    protected Reply handle(ReceivedRequest request) {
        String problem = checkSignature(request.header("x-veil-signature"), request.body());
        if (problem != null) {
            violation("X-Veil-Signature: " + problem);
            return Reply.json(401, "{\"error\":\"invalid signature\"}");
        }
        JsonNode batch = request.json().map(b -> b.path("batch")).orElse(null);
        if (batch == null || !batch.isArray()) {
            violation("body: not {\"batch\":[…]}");
            return Reply.json(400, "{\"error\":\"bad body\"}");
        }
        Problems p = new Problems();
        for (int i = 0; i < batch.size(); i++) {
            for (String field : new String[] {"messageId", "type", "timestamp"}) {
                if (!batch.get(i).path(field).isTextual()) {
                    p.add("batch[" + i + "]." + field, "required");
                }
            }
        }
        if (!record(p)) {
            return Reply.json(400, "{\"error\":\"bad event\"}");
        }
        batch.forEach(e -> accept(e, e.get("messageId").asText()));
        return Reply.json(200, "{\"ok\":true}");
    }

    private @Nullable String checkSignature(String header, byte[] body) {
        long t = -1;
        String v1 = null;
        for (String part : header.split(",")) {
            String p = part.trim();
            if (p.startsWith("t=") && p.substring(2).matches("[0-9]{1,12}")) {
                t = Long.parseLong(p.substring(2));
            } else if (p.startsWith("v1=")) {
                v1 = p.substring(3);
            }
        }
        if (t < 0 || v1 == null || !v1.matches("[0-9a-f]{64}")) {
            return "missing or malformed";
        }
        if (Duration.between(Instant.ofEpochSecond(t), Instant.now()).abs().compareTo(tolerance) > 0) {
            return "timestamp outside the tolerance";
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            byte[] expected = mac.doFinal(body);
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1)) ? null : "does not match";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
