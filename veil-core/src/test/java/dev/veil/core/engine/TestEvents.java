package dev.veil.core.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.PrivacySettings;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Builds raw events and engines for tests. */
final class TestEvents {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant RECEIVED = Instant.parse("2026-03-01T12:00:00Z");
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private TestEvents() {}

    /** A raw event from JSON written with single quotes for readability. */
    static RawEvent event(String json) {
        return event(json, null, null, false);
    }

    static RawEvent event(String json, @Nullable String ip, @Nullable String ua, boolean gpc) {
        ObjectNode msg = parse(json);
        EventType type = EventType.fromWire(msg.path("type").asText("track")).orElseThrow();
        String messageId = msg.path("messageId").asText("m-1");
        Instant ts = msg.has("timestamp") ? Instant.parse(msg.get("timestamp").asText()) : RECEIVED;
        return new RawEvent("website", messageId, type, RECEIVED, ts, msg, ip, ua, gpc);
    }

    static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DefaultPrivacyEngine engine() {
        return new DefaultPrivacyEngine(
                EngineConfig.builder(MaskingKeyring.single(SECRET)).build());
    }

    static DefaultPrivacyEngine engine(PrivacySettings privacy) {
        return new DefaultPrivacyEngine(EngineConfig.builder(MaskingKeyring.single(SECRET))
                .privacy(privacy)
                .build());
    }

    static PrivacySettings privacy(
            List<String> keep, List<String> redactPaths, List<PrivacySettings.SensitivePage> sensitive) {
        return new PrivacySettings(
                new PrivacySettings.Url(keep, redactPaths, sensitive),
                PrivacySettings.DEFAULTS.scanner(),
                PrivacySettings.DEFAULTS.geo(),
                PrivacySettings.DEFAULTS.consent());
    }

    static PrivacySettings withScanner(PrivacySettings.OnMatch onMatch, PrivacySettings.Detector... detectors) {
        return new PrivacySettings(
                PrivacySettings.DEFAULTS.url(),
                new PrivacySettings.Scanner(
                        detectors.length == 0 ? Set.of(PrivacySettings.Detector.values()) : Set.of(detectors),
                        List.of(),
                        onMatch),
                PrivacySettings.DEFAULTS.geo(),
                PrivacySettings.DEFAULTS.consent());
    }

    static PrivacySettings withConsent(PrivacySettings.ConsentDefault def, boolean honorGpc) {
        return new PrivacySettings(
                PrivacySettings.DEFAULTS.url(),
                PrivacySettings.DEFAULTS.scanner(),
                PrivacySettings.DEFAULTS.geo(),
                new PrivacySettings.Consent(def, honorGpc));
    }
}
