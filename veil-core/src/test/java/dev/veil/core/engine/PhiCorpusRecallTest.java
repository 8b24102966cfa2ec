package dev.veil.core.engine;

import static dev.veil.core.engine.TestPolicies.destination;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.DestinationPolicy.Toggle;
import dev.veil.core.policy.DestinationPolicy.UrlAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Recall: every value of the PHI corpus, in every encoding, placed in an allowed property, a kept query parameter,
 * a path segment and the campaign, never leaves the engine, neither as sent nor once the output is decoded. The
 * report counts placements per detector and encoding.
 */
class PhiCorpusRecallTest {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    static final DefaultPrivacyEngine ENGINE = TestEvents.engine(
            TestEvents.privacy(List.of("utm_source", "utm_content"), List.of("/patients/{patientId}/**"), List.of()));

    static final DestinationPolicy DESTINATION = destination("dest")
            .allow("E", "note", "pass", "lines", "pass")
            .context(new DestinationPolicy.Context(
                    DestinationPolicy.IpAction.DROP,
                    DestinationPolicy.UserAgentAction.DROP,
                    UrlAction.SANITIZE,
                    UrlAction.SANITIZE,
                    Toggle.PASS,
                    Toggle.PASS,
                    Toggle.DROP,
                    Toggle.DROP,
                    List.of()))
            .build();

    /** An event carrying {@code encoded} in a property, an array, the page URL (query and path) and the title. */
    static RawEvent eventWith(String encoded) {
        ObjectNode msg = JSON.createObjectNode();
        msg.put("type", "track").put("event", "E").put("messageId", "m-1");
        ObjectNode props = msg.putObject("properties");
        props.put("note", encoded);
        props.putArray("lines").add("see " + encoded + " thanks");
        String inUrl = PhiCorpus.percent(encoded);
        ObjectNode page = msg.putObject("context").putObject("page");
        page.put("url", "https://www.example.org/book/" + inUrl + "/confirm?utm_source=news&utm_content=" + inUrl);
        page.put("referrer", "https://www.example.org/patients/" + inUrl + "?utm_content=" + inUrl);
        page.put("title", "Visit " + encoded);
        return new RawEvent(
                "website", "m-1", EventType.TRACK, TestEvents.RECEIVED, TestEvents.RECEIVED, msg, null, null, false);
    }

    /** Whether {@code output} holds the PHI: as sent, encoded as sent, or once any decoding is applied to it. */
    static boolean leaks(String output, PhiCorpus.Phi phi, String encoded) {
        String core = phi.core().toLowerCase(Locale.ROOT);
        String out = output.toLowerCase(Locale.ROOT);
        if (out.contains(core) || (encoded.length() >= 5 && output.contains(encoded))) {
            return true;
        }
        for (TextDecoder.Form f : TextDecoder.forms(output)) {
            if (f.text().toLowerCase(Locale.ROOT).contains(core)) {
                return true;
            }
        }
        return false;
    }

    static String output(Decision d) throws Exception {
        return d instanceof Decision.Forward f ? JSON.writeValueAsString(f.event()) : "";
    }

    @Test
    void no_phi_value_leaves_in_any_encoding_from_any_placement() throws Exception {
        Map<String, int[]> report = new TreeMap<>(); // detector/encoding -> {placements, leaks}
        List<String> leaks = new ArrayList<>();
        for (PhiCorpus.Phi phi : PhiCorpus.phi()) {
            for (var enc : PhiCorpus.ENCODINGS.entrySet()) {
                if (!PhiCorpus.applies(enc.getKey(), phi.value())) {
                    continue;
                }
                String encoded = enc.getValue().apply(phi.value());
                Decision d = ENGINE.evaluate(eventWith(encoded), DESTINATION);
                assertThat(d).as("%s %s", phi.detector(), enc.getKey()).isInstanceOf(Decision.Forward.class);
                int[] row = report.computeIfAbsent(phi.detector() + " / " + enc.getKey(), k -> new int[2]);
                row[0]++;
                if (leaks(output(d), phi, encoded)) {
                    row[1]++;
                    leaks.add(phi.detector() + " " + enc.getKey() + ": " + phi.value() + " -> " + output(d));
                }
                assertThat(d.trace().toString().toLowerCase(Locale.ROOT))
                        .doesNotContain(phi.core().toLowerCase(Locale.ROOT));
            }
        }
        StringBuilder table = new StringBuilder("PHI corpus recall (detector / encoding: values, leaks)\n");
        report.forEach((k, v) -> table.append("  ")
                .append(k)
                .append(": ")
                .append(v[0])
                .append(", ")
                .append(v[1])
                .append('\n'));
        System.out.print(table);
        assertThat(leaks).isEmpty();
    }
}
