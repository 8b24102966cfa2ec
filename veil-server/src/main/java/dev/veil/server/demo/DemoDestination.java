package dev.veil.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.destinations.webhook.WebhookSignature;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The demo's destination: a webhook receiver inside the demo process ({@code POST /demo/sink}) that verifies
 * Veil's signature and counts what arrives, so a new user sees events go all the way through the privacy engine
 * and the delivery engine. The demo policy ({@link #policyYaml}) forwards page views and two events with one
 * allowed property each; everything else is dropped.
 */
public final class DemoDestination {

    /** The demo destination's id. */
    public static final String ID = "demo-webhook";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] secret;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Map<String, AtomicLong> byName = new ConcurrentHashMap<>();

    private DemoDestination(byte[] secret) {
        this.secret = secret.clone();
    }

    /** Loads (or creates, mode 0600) the demo webhook's signing secret in the data directory. */
    public static DemoDestination create(Path dataDir) {
        Path file = secretFile(dataDir);
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                Files.createDirectories(dataDir);
                Files.writeString(file, HexFormat.of().formatHex(random), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(
                        file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
            return new DemoDestination(
                    Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "demo webhook secret in " + dataDir + ": " + e.getClass().getSimpleName());
        }
    }

    static Path secretFile(Path dataDir) {
        return dataDir.toAbsolutePath().resolve("demo-webhook.secret");
    }

    /** The demo policy: one source, one non-BAA webhook destination on this demo server. */
    public static String policyYaml(Path dataDir, int port) {
        return """
                version: 1
                destinations:
                  - id: %s
                    type: webhook
                    name: Demo analytics (webhook inside the demo)
                    settings:
                      url: http://127.0.0.1:%d/demo/sink
                      signingSecret: ${file:%s}
                    context:
                      userAgent: generalize
                      pageUrl: sanitize
                      referrer: sanitize
                      campaign: pass
                      session: pass
                    events:
                      pages: true
                      allow:
                        - name: Appointment Booked
                          as: book_appointment
                          properties:
                            service_line: pass
                        - name: CTA Clicked
                          properties:
                            cta: pass
                """.formatted(ID, port, secretFile(dataDir));
    }

    /** Registers {@code POST /demo/sink}. */
    public Consumer<JavalinConfig> extension() {
        return c -> c.routes.post("/demo/sink", ctx -> {
            byte[] body = ctx.bodyAsBytes();
            String signature = ctx.header("X-Veil-Signature");
            if (signature == null
                    || !WebhookSignature.verify(secret, signature, body, Instant.now(), Duration.ofHours(25))) {
                refused.incrementAndGet();
                ctx.status(401).json(Map.of("error", "bad signature"));
                return;
            }
            JsonNode batch = JSON.readTree(body).path("batch");
            for (JsonNode event : batch) {
                received.incrementAndGet();
                String name = event.path("event").asText(event.path("type").asText("?"));
                byName.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
            }
            ctx.status(200).json(Map.of("ok", true));
        });
    }

    /** Events received by the demo destination so far. */
    public long received() {
        return received.get();
    }

    /** Received counts by (renamed) event name or call type; names are policy-allowed names, never values. */
    public Map<String, Long> receivedByName() {
        Map<String, Long> out = new java.util.TreeMap<>();
        byName.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
