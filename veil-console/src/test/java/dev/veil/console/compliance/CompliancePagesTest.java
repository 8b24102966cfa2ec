package dev.veil.console.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.admin.AdminServices;
import dev.veil.admin.auth.AuthOptions;
import dev.veil.admin.auth.Passwords;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Role;
import dev.veil.api.ConnectorDescriptor;
import dev.veil.console.ops.OpsContext;
import dev.veil.console.ops.PageResult;
import dev.veil.console.testing.Policies;
import dev.veil.console.traffic.RecentEvents;
import dev.veil.console.web.Chrome;
import dev.veil.console.web.Templates;
import dev.veil.core.policy.SecretResolver;
import dev.veil.destinations.spi.ConnectorFactory;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteAdminStores;
import dev.veil.store.sqlite.SqliteConfigStore;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compliance report over a real policy history: version 1 shares the plan with GA4, version 2 (drafted by
 * an editor, approved by a privacy officer, published) adds the clinic ZIP as zip3 and a BAA webhook.
 */
class CompliancePagesTest {

    /** Version 1: the shared policy's GA4 destination alone, without the clinic ZIP. */
    static final String V1 = Policies.edit(Policies.GA4_AND_CRM, policy -> {
        ((ArrayNode) policy.get("destinations")).remove(1);
        ((ObjectNode) policy.at("/destinations/0/events/allow/0")).remove("properties");
    });

    /**
     * Version 2: the shared GA4 + CRM policy, with the clinic ZIP moved to a GA4 event named like a spreadsheet
     * formula (the CSV export must defuse the name in the event's row and in the ZIP's) and the visitor's country
     * and region for the CRM.
     */
    static final String V2 = Policies.edit(Policies.GA4_AND_CRM, policy -> {
        ArrayNode allow = (ArrayNode) policy.at("/destinations/0/events/allow");
        allow.addObject()
                .put("name", "=HYPERLINK(1)")
                .set("properties", ((ObjectNode) allow.get(0)).remove("properties"));
        ((ObjectNode) policy.at("/destinations/1")).putObject("context").put("ip", "geo");
    });

    @TempDir
    Path dir;

    Clock clock = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);
    SqliteConfigStore config;
    SqliteAdminStores stores;
    AdminServices services;
    CompliancePages pages;

    @BeforeEach
    void setUp() {
        MasterKey key = MasterKey.random();
        config = SqliteConfigStore.open(dir, key, clock);
        stores = SqliteAdminStores.open(dir, key, clock);
        Map<String, ConnectorDescriptor> connectors = new TreeMap<>();
        ConnectorFactory.loadAll().forEach((t, f) -> connectors.put(t, f.descriptor()));
        Map<String, String> env = Map.of("GA4_API_SECRET", "s1", "CRM_SIGNING_SECRET", "s2");
        services = AdminServices.builder(config, stores.accounts(), stores.drafts(), stores.secrets(), stores.audit())
                .clock(clock)
                .auth(AuthOptions.DEFAULTS.withPasswords(new Passwords(1024, 1, 1)))
                .connectors(connectors)
                .secretResolver(new SecretResolver(env::get, p -> {
                    throw new java.io.IOException("no files");
                }))
                .build();
        pages = new CompliancePages(new OpsContext(services, new Templates(), new RecentEvents(1), clock));
        services.policies().setTwoPersonRule(Principal.system(), false);
        services.policies().apply(V1, "v1", Principal.cli("root"), "first");
        services.policies().setTwoPersonRule(Principal.system(), true);
        Principal editor = Principal.session("erin", Role.EDITOR, "h", "c");
        Principal officer = Principal.session("olga", Role.PRIVACY_OFFICER, "h", "c");
        var draft = services.drafts().create(editor, V2, "add crm").draft();
        services.drafts().approve(officer, draft.id(), draft.revision(), "ok");
        services.drafts().publish(officer, draft.id(), draft.revision());
    }

    @AfterEach
    void tearDown() {
        stores.close();
        config.close();
    }

    private static Principal viewer() {
        return Principal.session("vic", Role.VIEWER, "h", "c");
    }

    @Test
    void each_shared_item_says_since_which_version_and_who_approved_it() {
        ComplianceReport r = pages.report();

        assertThat(r.version()).isEqualTo(2);
        assertThat(r.approval()).isEqualTo("approved by olga; published by olga");
        ComplianceReport.Section ga4 = r.destinations().getFirst();
        assertThat(ga4.baa()).isFalse();
        assertThat(ga4.since().version()).isEqualTo(1);
        assertThat(ga4.since().approval()).contains("without a second approval");
        assertThat(ga4.shared())
                .filteredOn(s -> s.field().equals("plan"))
                .singleElement()
                .satisfies(s -> assertThat(s.since().version()).isEqualTo(1));
        assertThat(ga4.shared())
                .filteredOn(s -> s.field().equals("clinic_zip"))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.treatment()).startsWith("zip3");
                    assertThat(s.since().version()).isEqualTo(2);
                    assertThat(s.since().approval()).isEqualTo("approved by olga; published by olga");
                });
        ComplianceReport.Section crm = r.destinations().get(1);
        assertThat(crm.baa()).isTrue();
        assertThat(crm.shared())
                .extracting(ComplianceReport.Shared::field, ComplianceReport.Shared::treatment)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("userId", "passed as is"),
                        org.assertj.core.groups.Tuple.tuple("email", "masked (keyed hash)"),
                        org.assertj.core.groups.Tuple.tuple("ip", "country and region only"));
        // No group or alias calls flow to the CRM, so their ids are not shared.
        assertThat(crm.shared()).extracting(ComplianceReport.Shared::field).doesNotContain("groupId", "previousId");
    }

    @Test
    void the_html_report_is_readable_by_a_viewer_and_names_the_baa_status() {
        Principal v = viewer();
        String html = pages.html(v, new Chrome("Compliance", "compliance", "vic", "viewer", "c", List.of(), List.of()))
                .text();

        assertThat(html).contains("GA4 (marketing) (ga4, ga4)").contains("CRM (crm, webhook)");
        assertThat(html).contains("none: identifiers are masked or dropped").contains("signed: identifiers");
        assertThat(html).contains("sent, renamed to book_appointment");
        assertThat(html).contains("/console/compliance.csv").contains("/console/compliance.pdf");
    }

    @Test
    void the_csv_has_a_row_per_shared_item_and_defuses_spreadsheet_formulas() throws Exception {
        PageResult csv = pages.csv(viewer());

        assertThat(csv.headers().get("Content-Disposition")).contains("veil-compliance-v2.csv");
        List<CSVRecord> rows = CSVFormat.RFC4180
                .builder()
                .setHeader()
                .get()
                .parse(new StringReader(csv.text()))
                .getRecords();
        assertThat(rows).anySatisfy(row -> {
            assertThat(row.get("destination_id")).isEqualTo("ga4");
            assertThat(row.get("field")).isEqualTo("clinic_zip");
            assertThat(row.get("since_version")).isEqualTo("2");
            assertThat(row.get("approval")).contains("olga");
        });
        assertThat(rows).noneSatisfy(row -> assertThat(row.get("applies_to")).startsWith("="));
        assertThat(rows).anySatisfy(row -> assertThat(row.get("applies_to")).isEqualTo("'=HYPERLINK(1)"));
        assertThat(services.audit().log().latest(10, "compliance.export")).hasSize(1);
    }

    @Test
    void the_pdf_is_a_real_pdf_with_the_reports_text() throws Exception {
        PageResult pdf = pages.pdf(viewer());

        assertThat(pdf.contentType()).isEqualTo("application/pdf");
        Files.write(Path.of("target", "compliance-report.pdf"), pdf.body());
        try (PDDocument doc = Loader.loadPDF(pdf.body())) {
            String text = new PDFTextStripper().getText(doc);
            assertThat(text)
                    .contains("Veil compliance report")
                    .contains("GA4 (marketing)")
                    .contains("zip3");
            assertThat(text).contains("approved by olga");
        }
    }
}
