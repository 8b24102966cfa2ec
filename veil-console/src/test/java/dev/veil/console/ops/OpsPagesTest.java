package dev.veil.console.ops;

import static dev.veil.console.ops.OpsHarness.as;
import static dev.veil.console.ops.OpsHarness.chrome;
import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Role;
import dev.veil.store.audit.AuditEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations pages over real admin services: what each role sees and may do, that secrets and keys appear
 * only once (and never after), and that every action leaves its audit entry.
 */
class OpsPagesTest {

    @TempDir
    Path dir;

    OpsHarness h;

    @BeforeEach
    void setUp() {
        h = new OpsHarness(dir).withPolicy();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private List<AuditEntry> audit(String actionPrefix) {
        return h.services.audit().log().latest(100, actionPrefix);
    }

    private static Form form(String... kv) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Form.of(m);
    }

    // Sources

    @Test
    void a_new_sources_write_key_is_shown_once_with_its_snippet_and_never_again() {
        SourcesPages pages = new SourcesPages(h.ops);
        Principal editor = as(Role.EDITOR);

        PageResult created = pages.create(
                editor, chrome(editor), form("id", "web", "name", "Website", "origins", "https://clinic.example"));

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.headers()).containsEntry("Cache-Control", "no-store");
        String key = created.text().replaceAll("(?s).*id=\"writekey\" readonly value=\"([^\"]+)\".*", "$1");
        assertThat(key).isNotBlank().doesNotContain("<");
        assertThat(h.config.findSourceByWriteKey(key)).isPresent();
        assertThat(created.text()).contains("shown only now").contains("https://clinic.example");
        assertThat(created.text()).contains("/assets/p.js").contains("\"writeKey\":\"" + key + "\"");

        String later = pages.list(editor, chrome(editor)).text();
        assertThat(later).doesNotContain(key).contains("YOUR_WRITE_KEY").contains("Website");
        assertThat(audit("source.create")).hasSize(1);
    }

    @Test
    void rotating_a_key_shows_the_new_one_once_and_the_old_one_stops() {
        SourcesPages pages = new SourcesPages(h.ops);
        Principal editor = as(Role.EDITOR);
        String first =
                h.services.sources().create(editor, "web", "Website", List.of()).writeKey();

        PageResult rotated = pages.rotate(editor, chrome(editor), "web");

        assertThat(rotated.text()).contains("New write key").contains("The old key stopped working");
        assertThat(h.config.findSourceByWriteKey(first)).isEmpty();
        assertThat(audit("source.rotate_key")).hasSize(1);
    }

    @Test
    void a_viewer_sees_sources_without_forms_and_cannot_create_one() {
        SourcesPages pages = new SourcesPages(h.ops);
        Principal viewer = as(Role.VIEWER);
        h.services.sources().create(Principal.system(), "web", "Website", List.of());

        assertThat(pages.list(viewer, chrome(viewer)).text())
                .contains("Website")
                .doesNotContain("action=\"/console/sources\"")
                .doesNotContain("Rotate write key");
        PageResult refused = pages.create(viewer, chrome(viewer), form("id", "app", "name", "App"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text()).contains("the viewer role may not do this");
        assertThat(h.services.sources().list()).hasSize(1);
    }

    @Test
    void bad_origins_are_refused_with_the_field_named_and_nothing_saved() {
        SourcesPages pages = new SourcesPages(h.ops);
        Principal editor = as(Role.EDITOR);

        PageResult r = pages.create(
                editor, chrome(editor), form("id", "web", "name", "Website", "origins", "https://a.example/path"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).contains("allowedOrigins[0]");
        assertThat(h.services.sources().list()).isEmpty();
    }

    // Destinations

    @Test
    void the_settings_form_is_generated_from_the_connector_descriptor_and_never_holds_a_secret() {
        DestinationsPages pages = new DestinationsPages(h.ops);
        Principal editor = as(Role.EDITOR);

        String html = pages.detail(editor, chrome(editor), "ga4").text();

        h.services
                .destinations()
                .connectors()
                .get("ga4")
                .settings()
                .forEach(s -> assertThat(html)
                        .contains((s.secret() ? "name=\"secret." : "name=\"setting.") + s.key() + "\""));
        assertThat(html).contains("value=\"G-TEST123\"");
        assertThat(html).contains("type=\"password\" id=\"secret-apiSecret\"");
        assertThat(html).contains("A value is stored; leave empty to keep it.");
        assertThat(html).doesNotContain(OpsHarness.GA4_SECRET);
        assertThat(html)
                .contains("circuit_open")
                .contains("Waiting for delivery or retry")
                .contains("1,234")
                .contains("oldest 12 min");
    }

    @Test
    void saving_the_form_drafts_the_change_and_stores_a_new_secret_write_only() {
        DestinationsPages pages = new DestinationsPages(h.ops);
        Principal editor = as(Role.EDITOR);
        String newSecret = "rotated-ga4-secret-CANARY-99";

        PageResult r = pages.save(
                editor,
                chrome(editor),
                "ga4",
                form(
                        "name", "GA4 (marketing)",
                        "enabled", "true",
                        "setting.measurementId", "G-NEW456",
                        "secret.apiSecret", newSecret));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("Saved to draft").doesNotContain(newSecret);
        var drafts = h.services.drafts().list(true);
        assertThat(drafts).hasSize(1);
        assertThat(drafts.getFirst().yaml())
                .contains("G-NEW456")
                .contains("${secret:destination.ga4.apiSecret}")
                .doesNotContain(newSecret);
        assertThat(h.stores.secrets().get("destination.ga4.apiSecret")).contains(newSecret);
        assertThat(audit("destination."))
                .extracting(AuditEntry::action)
                .contains("destination.edit", "destination.secret_set");
        assertThat(audit("")).allSatisfy(e -> assertThat(e.detail()).doesNotContain(newSecret));

        // A second edit lands in the same open draft.
        pages.setEnabled(editor, chrome(editor), "ga4", false);
        assertThat(h.services.drafts().list(true)).hasSize(1);
    }

    @Test
    void a_new_destination_form_offers_the_connectors_settings_and_saves_to_a_draft() {
        DestinationsPages pages = new DestinationsPages(h.ops);
        Principal editor = as(Role.EDITOR);

        String form = pages.newForm(editor, chrome(editor), "webhook").text();
        assertThat(form).contains("name=\"setting.url\"").contains("name=\"secret.signingSecret\"");

        PageResult saved = pages.save(
                editor,
                chrome(editor),
                "hooks",
                form(
                        "new", "true",
                        "type", "webhook",
                        "name", "Hooks",
                        "enabled", "true",
                        "setting.url", "https://hooks.example/in",
                        "secret.signingSecret", "hook-secret-CANARY"));

        assertThat(saved.text()).contains("Saved to draft").doesNotContain("hook-secret-CANARY");
        assertThat(h.services.drafts().list(true).getFirst().yaml())
                .contains("id: hooks")
                .contains("https://hooks.example/in");
    }

    @Test
    void test_events_and_replays_go_through_the_audited_delivery_service() {
        DestinationsPages pages = new DestinationsPages(h.ops);
        Principal editor = as(Role.EDITOR);

        assertThat(pages.sendTest(editor, chrome(editor), "ga4").text()).contains("Test event delivered (HTTP 204)");
        assertThat(pages.replay(editor, chrome(editor), "ga4", form("dl", "1")).text())
                .contains("1 dead letter queued");
        assertThat(pages.replay(editor, chrome(editor), "ga4", form()).status()).isEqualTo(400);
        pages.replay(editor, chrome(editor), "ga4", form("all", "true"));

        assertThat(h.delivery.tested).containsExactly("ga4");
        assertThat(h.delivery.replayed).containsExactly("ga4:[1]", "ga4:[]");
        assertThat(audit("destination.test")).hasSize(1);
        assertThat(audit("dead_letter.replay")).hasSize(2);
    }

    @Test
    void only_a_privacy_officer_may_reveal_a_dead_letter_and_each_view_is_audited() {
        DestinationsPages pages = new DestinationsPages(h.ops);
        for (Role r : List.of(Role.VIEWER, Role.EDITOR)) {
            Principal p = as(r);
            assertThat(pages.detail(p, chrome(p), "ga4").text()).doesNotContain("/reveal");
            PageResult refused = pages.revealDeadLetter(p, chrome(p), "ga4", 1);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.text()).doesNotContain(OpsHarness.PHI_EMAIL);
        }
        assertThat(audit("raw.view")).isEmpty();

        Principal officer = as(Role.PRIVACY_OFFICER);
        assertThat(pages.detail(officer, chrome(officer), "ga4").text()).contains("/dead-letters/1/reveal");
        PageResult raw = pages.revealDeadLetter(officer, chrome(officer), "ga4", 1);

        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.headers()).containsEntry("Cache-Control", "no-store");
        assertThat(raw.text()).contains(OpsHarness.PHI_EMAIL).contains("recorded in the audit log");
        assertThat(audit("raw.view")).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("user:privacy-officer");
            assertThat(e.target()).isEqualTo("dead_letter:ga4/1");
        });
    }

    @Test
    void a_viewer_sees_destination_settings_read_only_with_secrets_only_as_set() {
        DestinationsPages pages = new DestinationsPages(h.ops);
        Principal viewer = as(Role.VIEWER);

        String html = pages.detail(viewer, chrome(viewer), "ga4").text();

        assertThat(html)
                .contains("set (secret, never shown)")
                .contains("G-TEST123")
                .doesNotContain("name=\"setting.")
                .doesNotContain("Send a test event");
        assertThat(pages.save(viewer, chrome(viewer), "ga4", form("name", "x")).status())
                .isEqualTo(403);
        assertThat(pages.sendTest(viewer, chrome(viewer), "ga4").status()).isEqualTo(403);
        assertThat(pages.replay(viewer, chrome(viewer), "ga4", form("all", "true"))
                        .status())
                .isEqualTo(403);
        assertThat(h.delivery.tested).isEmpty();
    }

    // Users and tokens

    @Test
    void an_owner_invites_a_user_and_sees_the_setup_link_once() {
        PeoplePages pages = new PeoplePages(h.ops);
        Principal owner = as(Role.OWNER);

        PageResult r = pages.invite(
                owner,
                chrome(owner),
                form("username", "bob", "displayName", "Bob", "role", "editor"),
                "https://veil.example/console/setup");

        assertThat(r.headers()).containsEntry("Cache-Control", "no-store");
        assertThat(r.text()).contains("https://veil.example/console/setup?token=");
        String token = r.text().replaceAll("(?s).*setup\\?token=([A-Za-z0-9_-]+).*", "$1");
        assertThat(pages.users(owner, chrome(owner)).text()).contains("bob").doesNotContain(token);
        assertThat(audit("user.create")).hasSize(1);

        assertThat(pages.updateUser(owner, chrome(owner), "bob", form("role", "viewer"))
                        .status())
                .isEqualTo(200);
        assertThat(h.services.users().get("bob").role()).isEqualTo("viewer");
    }

    @Test
    void the_last_owner_cannot_be_demoted_and_the_page_says_why() {
        PeoplePages pages = new PeoplePages(h.ops);
        Principal owner = as(Role.OWNER);
        h.services.users().create(Principal.system(), "owner", "Owner", Role.OWNER);

        PageResult r = pages.updateUser(owner, chrome(owner), "owner", form("role", "viewer"));

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.text()).contains("last enabled owner");
    }

    @Test
    void only_owners_manage_users_and_tokens() {
        PeoplePages pages = new PeoplePages(h.ops);
        for (Role r : List.of(Role.VIEWER, Role.EDITOR, Role.PRIVACY_OFFICER)) {
            Principal p = as(r);
            assertThat(pages.invite(p, chrome(p), form("username", "eve", "role", "owner"), "")
                            .status())
                    .isEqualTo(403);
            assertThat(pages.createToken(p, chrome(p), form("name", "ci", "role", "owner", "days", "30"))
                            .status())
                    .isEqualTo(403);
        }
        assertThat(h.services.users().list()).isEmpty();
        assertThat(h.services.tokens().list()).isEmpty();
    }

    @Test
    void a_token_value_is_shown_once_then_only_its_id_and_it_can_be_revoked() {
        PeoplePages pages = new PeoplePages(h.ops);
        Principal owner = as(Role.OWNER);

        PageResult r = pages.createToken(owner, chrome(owner), form("name", "ci", "role", "editor", "days", "30"));

        assertThat(r.headers()).containsEntry("Cache-Control", "no-store");
        String value = r.text().replaceAll("(?s).*id=\"once-value\" readonly value=\"([^\"]+)\".*", "$1");
        assertThat(value).startsWith("veil_");
        assertThat(h.services.auth().token(value)).isPresent();
        String id = h.services.tokens().list().getFirst().id();
        assertThat(pages.tokens(owner, chrome(owner)).text()).contains(id).doesNotContain(value);

        pages.revokeToken(owner, chrome(owner), id);
        assertThat(h.services.auth().token(value)).isEmpty();
        assertThat(audit("token.")).extracting(AuditEntry::action).containsExactly("token.revoke", "token.create");
    }

    @Test
    void token_lifetimes_outside_the_limit_are_refused_with_the_limit() {
        PeoplePages pages = new PeoplePages(h.ops);
        Principal owner = as(Role.OWNER);

        PageResult r = pages.createToken(owner, chrome(owner), form("name", "ci", "role", "editor", "days", "900"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).contains("expiresInDays").contains("1..365");
    }

    // Audit

    @Test
    void the_audit_log_filters_by_action_actor_and_outcome_and_shows_the_chain_intact() {
        AuditPage page = new AuditPage(h.ops);
        Principal officer = as(Role.PRIVACY_OFFICER);
        h.services.sources().create(as(Role.EDITOR), "web", "Website", List.of());
        h.services.audit().denied(as(Role.VIEWER), "policy.approve", "draft:1");

        String all = page.show(officer, chrome(officer), Form.EMPTY).text();
        assertThat(all).contains("Chain intact").contains("source.create").contains("policy.apply");

        String sources =
                page.show(officer, chrome(officer), form("action", "source.")).text();
        assertThat(sources).contains("source.create").doesNotContain("<th scope=\"row\">policy.apply");

        String denied =
                page.show(officer, chrome(officer), form("outcome", "denied")).text();
        assertThat(denied).contains("policy.approve").doesNotContain("<th scope=\"row\">source.create");

        String byActor = page.show(officer, chrome(officer), form("actor", "user:editor"))
                .text();
        assertThat(byActor).contains("source.create").doesNotContain("<th scope=\"row\">policy.approve");
    }

    @Test
    void an_entry_edited_in_the_database_shows_the_chain_broken_where_it_was_edited() throws Exception {
        AuditPage page = new AuditPage(h.ops);
        Principal officer = as(Role.PRIVACY_OFFICER);
        h.services.sources().create(as(Role.EDITOR), "web", "Website", List.of());
        long seq = audit("source.create").getFirst().seq();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("config.db"));
                var ps = c.prepareStatement("UPDATE audit_log SET actor = 'user:mallory' WHERE seq = ?")) {
            ps.setLong(1, seq);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        String html = page.show(officer, chrome(officer), Form.EMPTY).text();

        assertThat(html).contains("Chain broken</strong> at entry " + seq).doesNotContain("Chain intact");
    }

    @Test
    void viewers_and_editors_cannot_read_the_audit_log() {
        AuditPage page = new AuditPage(h.ops);
        for (Role r : List.of(Role.VIEWER, Role.EDITOR)) {
            Principal p = as(r);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> page.show(p, chrome(p), Form.EMPTY))
                    .hasMessageContaining("may not");
        }
    }
}
