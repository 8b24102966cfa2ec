package dev.veil.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.core.engine.DefaultPrivacyEngine;
import dev.veil.core.engine.EngineConfig;
import dev.veil.core.engine.MaskingKeyring;
import dev.veil.core.engine.MaxMindGeoLocator;
import dev.veil.core.engine.YauaaUserAgentGeneralizer;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.DestinationPolicy.AllowedEvent;
import dev.veil.core.policy.DestinationPolicy.Context;
import dev.veil.core.policy.DestinationPolicy.Events;
import dev.veil.core.policy.DestinationPolicy.IdAction;
import dev.veil.core.policy.DestinationPolicy.Identity;
import dev.veil.core.policy.DestinationPolicy.IpAction;
import dev.veil.core.policy.DestinationPolicy.Toggle;
import dev.veil.core.policy.DestinationPolicy.UrlAction;
import dev.veil.core.policy.DestinationPolicy.UserAgentAction;
import dev.veil.core.policy.FieldRule;
import dev.veil.core.policy.PrivacySettings;
import dev.veil.core.policy.Transform;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A realistic event (about 1.5 KB, 30 properties) and a realistic 5-destination policy for the benchmarks. */
final class BenchFixtures {

    static final byte[] SECRET = "bench-secret-0123456789abcdefghi".getBytes(StandardCharsets.UTF_8);
    static final String UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private BenchFixtures() {}

    static final String EVENT_JSON = """
            {"type":"track","event":"Appointment Booked","messageId":"4f1c7a2e-9b7d-4c1e-8f0a-2d3b4c5d6e7f",
             "userId":"user-5521-8830","anonymousId":"0b7c2f7e-61a4-4d39-a0a1-93c0f1e1d2c3",
             "timestamp":"2026-03-01T11:59:58Z",
             "properties":{"service_line":"cardiology","value":129.99,"currency":"USD","clinic_zip":"94110",
              "clinic_id":"clinic-0042","provider_specialty":"Cardiology","visit_type":"new-patient",
              "appointment_channel":"web","slot_lead_days":6,"is_telehealth":false,"plan":"gold",
              "coupon":"SPRING25","step":3,"form_version":"v12","language":"en","referral_source":"search",
              "insurance_type":"commercial","patient_name":"Jane Example","notes":"prefers mornings",
              "phone":"(555) 010-9999","email":"jane@example.org","dob":"1984-03-12","reason":"follow-up",
              "product":{"category":"visit","sku":"VISIT-30","name":"Consultation","price":129.99},
              "items":[{"sku":"VISIT-30","qty":1},{"sku":"LAB-A1C","qty":1}],
              "experiment":"booking-flow-b","variant":"b","page_load_ms":812,"scroll_depth":75},
             "context":{"ip":"216.160.83.56",
              "page":{"url":"https://www.example-health.org/appointments/book/cardiology?utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=CjwKCAiA1234567&ref=home",
                "path":"/appointments/book/cardiology","referrer":"https://www.google.com/","title":"Book an appointment"},
              "campaign":{"source":"google","medium":"cpc","name":"spring","term":"cardiologist near me"},
              "session":{"id":1772366300000,"number":3,"engagementTimeMs":5400},
              "locale":"en-US","timezone":"America/Los_Angeles","screen":{"width":1440,"height":900},
              "clickIds":{"gclid":"CjwKCAiA1234567","fbclid":"IwAR0abcdef"},
              "traits":{"plan":"gold","email":"jane@example.org"},
              "consent":{"categoryPreferences":{"analytics":true,"advertising":true}}}}
            """;

    static RawEvent event() {
        try {
            ObjectNode msg = (ObjectNode) new ObjectMapper().readTree(EVENT_JSON);
            Instant received = Instant.parse("2026-03-01T12:00:00Z");
            return new RawEvent(
                    "website",
                    msg.get("messageId").asText(),
                    EventType.TRACK,
                    received,
                    Instant.parse("2026-03-01T11:59:58Z"),
                    msg,
                    "216.160.83.56",
                    UA,
                    false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code count} variants of {@link #event()} from distinct visitors: each has its own message id, user and
     * anonymous id, client IP, gclid and fbclid (so its page URL is distinct too); user agents come from a pool
     * of 500 browser builds, as real traffic has few distinct user agents but many visitors.
     */
    static List<RawEvent> distinctVisitors(int count) {
        RawEvent base = event();
        ObjectNode template = (ObjectNode) base.message();
        String[] blocks = {"2.125", "81.2", "89.160", "216.160", "67.43", "175.16", "202.196", "149.101"};
        List<RawEvent> out = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ObjectNode msg = template.deepCopy();
            String messageId = java.util
                    .UUID
                    .nameUUIDFromBytes(("m" + i).getBytes(StandardCharsets.UTF_8))
                    .toString();
            msg.put("messageId", messageId);
            msg.put("userId", "user-" + (100_000 + i));
            msg.put(
                    "anonymousId",
                    java.util
                            .UUID
                            .nameUUIDFromBytes(("a" + i).getBytes(StandardCharsets.UTF_8))
                            .toString());
            String gclid = "CjwKCAiA" + Integer.toString(1_000_000 + i, 36) + "Xz";
            String fbclid = "IwAR" + Integer.toString(5_000_000 + i, 36) + "q";
            ObjectNode ctx = (ObjectNode) msg.get("context");
            ((ObjectNode) ctx.get("page"))
                    .put(
                            "url",
                            "https://www.example-health.org/appointments/book/cardiology?utm_source=google"
                                    + "&utm_medium=cpc&utm_campaign=spring&gclid=" + gclid + "&ref=home");
            ObjectNode clickIds = (ObjectNode) ctx.get("clickIds");
            clickIds.put("gclid", gclid);
            clickIds.put("fbclid", fbclid);
            String ip = blocks[i % blocks.length] + "." + ((i / blocks.length) / 250 % 250) + "."
                    + ((i / blocks.length) % 250 + 1);
            ctx.put("ip", ip);
            String ua = UA.replace("131.0.0.0", "131.0." + (i % 500) + ".0");
            out.add(new RawEvent(
                    base.sourceId(), messageId, base.type(), base.receivedAt(), base.timestamp(), msg, ip, ua, false));
        }
        return out;
    }

    static DefaultPrivacyEngine engine() {
        return new DefaultPrivacyEngine(EngineConfig.builder(MaskingKeyring.single(SECRET))
                .privacy(privacy())
                .geo(MaxMindGeoLocator.open(geoDatabase()))
                .userAgents(YauaaUserAgentGeneralizer.create(10_000))
                .build());
    }

    static PrivacySettings privacy() {
        return new PrivacySettings(
                new PrivacySettings.Url(
                        List.of("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id"),
                        List.of("/patients/{patientId}/**", "/appointments/{id}"),
                        List.of(
                                new PrivacySettings.SensitivePage(
                                        "/conditions/**", "/conditions/*", PrivacySettings.SensitiveAction.REPLACE),
                                new PrivacySettings.SensitivePage(
                                        "/portal/**", null, PrivacySettings.SensitiveAction.DROP_EVENT))),
                new PrivacySettings.Scanner(
                        Set.of(PrivacySettings.Detector.values()),
                        List.of("MRN[- ]?\\d{6,10}"),
                        PrivacySettings.OnMatch.REDACT),
                new PrivacySettings.Geo(null),
                new PrivacySettings.Consent(PrivacySettings.ConsentDefault.DENIED, true));
    }

    private static Map<String, FieldRule> rules(String... pairs) {
        Map<String, FieldRule> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            out.put(pairs[i], FieldRule.of(Transform.fromYaml(pairs[i + 1]).orElseThrow()));
        }
        return out;
    }

    private static DestinationPolicy dest(
            String id,
            boolean baa,
            List<String> consent,
            Identity identity,
            Context context,
            Events events,
            Map<String, FieldRule> properties,
            Map<String, FieldRule> traits) {
        return new DestinationPolicy(
                id,
                id.split("-")[0],
                id,
                true,
                baa,
                consent,
                Map.of(),
                identity,
                context,
                events,
                properties,
                traits,
                Map.of());
    }

    static List<DestinationPolicy> destinations() {
        Context marketing = new Context(
                IpAction.GEO,
                UserAgentAction.GENERALIZE,
                UrlAction.SANITIZE,
                UrlAction.SANITIZE,
                Toggle.DROP,
                Toggle.PASS,
                Toggle.PASS,
                Toggle.PASS,
                List.of("gclid", "gbraid", "wbraid"));
        Context ads = new Context(
                IpAction.GEO,
                UserAgentAction.GENERALIZE,
                UrlAction.SANITIZE,
                UrlAction.DROP,
                Toggle.DROP,
                Toggle.DROP,
                Toggle.DROP,
                Toggle.DROP,
                List.of("fbc", "fbp", "ttclid"));
        Context baa = new Context(
                IpAction.PASS,
                UserAgentAction.PASS,
                UrlAction.PASS,
                UrlAction.PASS,
                Toggle.PASS,
                Toggle.PASS,
                Toggle.PASS,
                Toggle.PASS,
                List.of());
        Map<String, FieldRule> booked = rules(
                "service_line",
                "pass",
                "value",
                "pass",
                "currency",
                "pass",
                "clinic_zip",
                "zip3",
                "visit_type",
                "pass",
                "appointment_channel",
                "pass",
                "product.category",
                "pass",
                "product.sku",
                "pass",
                "items.sku",
                "pass",
                "notes",
                "pass");
        Identity mask = Identity.DEFAULTS;
        return List.of(
                dest(
                        "ga4-marketing",
                        false,
                        List.of("analytics"),
                        mask,
                        marketing,
                        new Events(
                                true,
                                false,
                                false,
                                false,
                                List.of(new AllowedEvent("Appointment Booked", "book_appointment", booked))),
                        rules("plan", "pass"),
                        Map.of()),
                dest(
                        "meta-ads",
                        false,
                        List.of("advertising"),
                        mask,
                        ads,
                        new Events(
                                false,
                                false,
                                false,
                                false,
                                List.of(new AllowedEvent(
                                        "Appointment Booked", "Schedule", rules("value", "pass", "currency", "pass")))),
                        Map.of(),
                        Map.of()),
                dest(
                        "tiktok-ads",
                        false,
                        List.of("advertising"),
                        mask,
                        ads,
                        new Events(
                                false,
                                false,
                                false,
                                false,
                                List.of(new AllowedEvent(
                                        "Appointment Booked",
                                        "SubmitForm",
                                        rules("value", "pass", "currency", "pass")))),
                        Map.of(),
                        Map.of()),
                dest(
                        "mixpanel-product",
                        false,
                        List.of("analytics"),
                        mask,
                        marketing,
                        new Events(
                                true,
                                true,
                                false,
                                false,
                                List.of(new AllowedEvent("Appointment Booked", null, booked))),
                        rules("plan", "pass", "experiment", "pass", "variant", "pass", "step", "pass"),
                        rules("plan", "pass", "email", "mask")),
                dest(
                        "webhook-ehr",
                        true,
                        List.of(),
                        new Identity(IdAction.PASS, IdAction.PASS, IdAction.MASK, IdAction.MASK),
                        baa,
                        new Events(
                                true,
                                true,
                                false,
                                false,
                                List.of(new AllowedEvent(
                                        "Appointment Booked",
                                        null,
                                        rules("patient_name", "pass", "dob", "year", "service_line", "pass")))),
                        Map.of(),
                        rules("email", "pass")));
    }

    private static Path geoDatabase() {
        try (InputStream in = BenchFixtures.class.getResourceAsStream("GeoIP2-City-Test.mmdb")) {
            Path tmp = Files.createTempFile("veil-bench-geo", ".mmdb");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException("copying the bench geo database", e);
        }
    }
}
