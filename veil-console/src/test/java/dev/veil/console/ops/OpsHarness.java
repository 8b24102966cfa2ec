package dev.veil.console.ops;

import dev.veil.admin.AdminServices;
import dev.veil.admin.auth.AuthOptions;
import dev.veil.admin.auth.Passwords;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Role;
import dev.veil.admin.resources.DeliveryControl;
import dev.veil.api.ConnectorDescriptor;
import dev.veil.console.testing.Engines;
import dev.veil.console.testing.Events;
import dev.veil.console.testing.Policies;
import dev.veil.console.traffic.RecentEvents;
import dev.veil.console.web.Chrome;
import dev.veil.console.web.Templates;
import dev.veil.core.engine.DefaultPrivacyEngine;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.SecretResolver;
import dev.veil.destinations.spi.ConnectorFactory;
import dev.veil.store.DictionaryStore.EventKey;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteAdminStores;
import dev.veil.store.sqlite.SqliteConfigStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The operations pages over real SQLite stores and real admin services, the real connector descriptors, a
 * published policy whose secrets are canary values, a delivery control whose dead letters hold canary PHI, and
 * recent events decided by the real privacy engine. Tests scan every page for the canaries.
 */
final class OpsHarness implements AutoCloseable {

    static final String GA4_SECRET = "ga4-secret-CANARY-7d1e9b";
    static final String CRM_SECRET = "crm-signing-CANARY-41aa0c";
    static final String PHI_EMAIL = "jane.canary@example.org";
    static final String PHI_NAME = "Canarina Quetzalcoatl";
    static final String PHI_ZIP = "94110";

    static final String POLICY = Policies.GA4_AND_CRM;

    /** A delivery control with two dead letters for ga4 whose raw events carry canary PHI. */
    static final class FakeDelivery implements DeliveryControl {
        final List<String> replayed = new CopyOnWriteArrayList<>();
        final List<String> tested = new CopyOnWriteArrayList<>();
        final Instant at = Instant.parse("2026-11-29T11:00:00Z");

        @Override
        public List<DestinationStatus> status() {
            return List.of(
                    new DestinationStatus("ga4", "circuit_open", 2, 1234, 754, "the vendor failed repeatedly"),
                    new DestinationStatus("crm", "running", 0, 0, 0, null));
        }

        @Override
        public List<DeadLetterInfo> deadLetters(String destinationId, Instant since, int max) {
            if (!destinationId.equals("ga4")) {
                return List.of();
            }
            return List.of(
                    new DeadLetterInfo(1, "m-1", "track", "HTTP 500 after 8 attempts", at, "failed"),
                    new DeadLetterInfo(2, "m-2", "track", "HTTP 500 after 8 attempts", at, "queued"));
        }

        @Override
        public Optional<String> rawDeadLetter(String destinationId, long id) {
            return destinationId.equals("ga4") && id == 1
                    ? Optional.of("{\"message\":{\"properties\":{\"email\":\"" + PHI_EMAIL + "\"}}}")
                    : Optional.empty();
        }

        @Override
        public int replay(String destinationId, List<Long> ids) {
            replayed.add(destinationId + ":" + ids);
            return ids.isEmpty() ? 1 : ids.size();
        }

        @Override
        public TestResult sendTestEvent(String destinationId) {
            tested.add(destinationId);
            return new TestResult(true, 204, "accepted");
        }
    }

    final Clock clock = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);
    final MasterKey key = MasterKey.random();
    final SqliteConfigStore config;
    final SqliteAdminStores stores;
    final AdminServices services;
    final FakeDelivery delivery = new FakeDelivery();
    final RecentEvents recent = new RecentEvents(50);
    final OpsContext ops;

    OpsHarness(Path dir) {
        config = SqliteConfigStore.open(dir, key, clock);
        stores = SqliteAdminStores.open(dir, key, clock);
        Map<String, String> env = Map.of("GA4_API_SECRET", GA4_SECRET, "CRM_SIGNING_SECRET", CRM_SECRET);
        services = AdminServices.builder(config, stores.accounts(), stores.drafts(), stores.secrets(), stores.audit())
                .clock(clock)
                .auth(AuthOptions.DEFAULTS.withPasswords(new Passwords(1024, 1, 1)))
                .connectors(connectors())
                .secretResolver(new SecretResolver(env::get, p -> {
                            throw new java.io.IOException("no files in tests");
                        })
                        .withStored(n -> stores.secrets().get(n).orElse(null)))
                .delivery(delivery)
                .snippet((id, writeKey) -> "<script>!function(){}(window,document,\"/assets/p.js\",{\"writeKey\":\""
                        + writeKey + "\"})</script>")
                .build();
        ops = new OpsContext(services, new Templates(), recent, clock);
    }

    static Map<String, ConnectorDescriptor> connectors() {
        Map<String, ConnectorDescriptor> out = new TreeMap<>();
        ConnectorFactory.loadAll().forEach((type, f) -> out.put(type, f.descriptor()));
        return out;
    }

    /** Publishes {@link #POLICY} as version 1 (two-person rule off for the set-up, on again after). */
    OpsHarness withPolicy() {
        services.policies().setTwoPersonRule(Principal.system(), false);
        services.policies().apply(POLICY, "test", Principal.cli("root"), "initial");
        services.policies().setTwoPersonRule(Principal.system(), true);
        return this;
    }

    /** One event with canary PHI, decided for every destination by the real engine, in the debugger's ring. */
    long withRecentEvent() {
        Policy p = services.policies().publishedPolicy();
        DefaultPrivacyEngine engine = Engines.engine(p);
        RawEvent e = Events.raw("""
                {"type":"track","event":"Appointment Booked","userId":"u-123",
                 "properties":{"plan":"call %s","clinic_zip":"%s","service_line":"cardiology",
                   "email":"%s","full_name":"%s"}}""".formatted(PHI_EMAIL, PHI_ZIP, PHI_EMAIL, PHI_NAME), clock.instant());
        for (DestinationPolicy d : p.destinations()) {
            recent.add(e, EventKey.track("Appointment Booked"), d.id(), engine.evaluate(e, d));
        }
        return recent.newestFirst().getFirst().id();
    }

    static Principal as(Role role) {
        return Principal.session(role.wire().replace('_', '-'), role, "session-hash", "csrf-" + role.wire());
    }

    static Chrome chrome(Principal who) {
        return new Chrome("Test", "test", who.name(), who.role().wire(), who.csrfToken(), List.of(), new ArrayList<>());
    }

    @Override
    public void close() {
        stores.close();
        config.close();
    }
}
