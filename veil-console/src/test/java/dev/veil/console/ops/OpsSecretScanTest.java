package dev.veil.console.ops;

import static dev.veil.console.ops.OpsHarness.as;
import static dev.veil.console.ops.OpsHarness.chrome;
import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.admin.AdminException;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Role;
import dev.veil.console.compliance.CompliancePages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operations page, for every role, after secrets were configured (in the environment and through the
 * form) and an event with canary PHI went through the engine: no page holds a secret, and no page but a privacy
 * officer's audited reveal holds the PHI.
 */
class OpsSecretScanTest {

    @TempDir
    Path dir;

    @Test
    void no_page_holds_a_secret_or_canary_phi_for_any_role() {
        try (OpsHarness h = new OpsHarness(dir).withPolicy()) {
            long event = h.withRecentEvent();
            String formSecret = "form-set-secret-CANARY-0b7";
            Principal editor = as(Role.EDITOR);
            new DestinationsPages(h.ops)
                    .save(editor, chrome(editor), "ga4", Form.of(Map.of("secret.apiSecret", formSecret)));
            List<String> secrets = List.of(OpsHarness.GA4_SECRET, OpsHarness.CRM_SECRET, formSecret);
            List<String> phi = List.of(OpsHarness.PHI_EMAIL, OpsHarness.PHI_NAME, "u-123");

            SourcesPages sources = new SourcesPages(h.ops);
            DestinationsPages destinations = new DestinationsPages(h.ops);
            DebuggerPages debugger = new DebuggerPages(h.ops);
            CompliancePages compliance = new CompliancePages(h.ops);
            PeoplePages people = new PeoplePages(h.ops);
            AuditPage audit = new AuditPage(h.ops);
            int scanned = 0;
            for (Role role : Role.values()) {
                Principal p = as(role);
                List<Supplier<PageResult>> pages = new ArrayList<>(List.of(
                        () -> sources.list(p, chrome(p)),
                        () -> destinations.list(p, chrome(p)),
                        () -> destinations.detail(p, chrome(p), "ga4"),
                        () -> destinations.detail(p, chrome(p), "crm"),
                        () -> destinations.newForm(p, chrome(p), "ga4"),
                        () -> debugger.list(p, chrome(p)),
                        () -> debugger.event(p, chrome(p), event),
                        () -> compliance.html(p, chrome(p)),
                        () -> compliance.csv(p),
                        () -> people.users(p, chrome(p)),
                        () -> people.tokens(p, chrome(p)),
                        () -> audit.show(p, chrome(p), Form.EMPTY)));
                for (Supplier<PageResult> page : pages) {
                    String body;
                    try {
                        body = page.get().text();
                    } catch (AdminException refused) {
                        assertThat(refused.status()).isEqualTo(403);
                        continue;
                    }
                    scanned++;
                    for (String s : secrets) {
                        assertThat(body).as("page for %s", role).doesNotContain(s);
                    }
                    for (String s : phi) {
                        assertThat(body).as("page for %s", role).doesNotContain(s);
                    }
                }
            }
            assertThat(scanned).isGreaterThan(30);
            // The audit log holds neither (its detail is shown on the audit page, scanned above).
            assertThat(h.services.audit().log().latest(1000, ""))
                    .allSatisfy(e -> secrets.forEach(s -> assertThat(e.detail()).doesNotContain(s)));
        }
    }
}
