package dev.veil.server.cli.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Policy and event files for the CLI tests, written into a test's temp directory. */
final class Fixtures {

    private Fixtures() {}

    /** A valid policy (the spec's example, trimmed) whose GA4 secret is a file in {@code dir}. */
    static String policy(Path dir) {
        Path secret = dir.resolve("ga4-api-secret");
        write(secret, "not-a-real-secret\n");
        return """
                version: 1
                privacy:
                  url:
                    keepQueryParams: [utm_source, utm_campaign]
                  scanner:
                    onMatch: redact
                  consent:
                    default: granted
                sources:
                  - id: website
                    name: Patient website
                    allowedOrigins: ["https://www.example-health.org"]
                destinations:
                  - id: ga4-marketing
                    type: ga4
                    name: GA4 (marketing)
                    settings:
                      measurementId: G-ABC123DEF
                      apiSecret: ${file:SECRET}
                    identity:
                      userId: mask
                      anonymousId: mask
                    context:
                      userAgent: drop
                    events:
                      identify: true
                      allow:
                        - name: "Appointment Booked"
                          as: book_appointment
                          properties:
                            service_line: pass
                            value: pass
                            clinic_zip: zip3
                        - name: "Signed Up"
                    properties:
                      plan: pass
                    traits:
                      zip: zip3
                """.replace("SECRET", secret.toString());
    }

    /** {@link #policy} with {@code service_line} no longer sent: one plain-words change. */
    static String policyWithoutServiceLine(Path dir) {
        return policy(dir).replace("            service_line: pass\n", "");
    }

    /** A booked appointment carrying PHI next to what the policy allows. */
    static final String BOOKED = """
            {"type": "track", "event": "Appointment Booked", "userId": "patient-4711",
             "anonymousId": "anon-93",
             "properties": {"service_line": "cardiology", "value": 129.5, "clinic_zip": "94110",
                            "email": "jane.doe@example.com", "diagnosis": "arrhythmia"}}
            """;

    /** An event the policy does not allow. */
    static final String DIAGNOSIS_VIEWED = """
            {"type": "track", "event": "Diagnosis Viewed", "userId": "patient-4711",
             "properties": {"diagnosis": "arrhythmia"}}
            """;

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
