package dev.veil.admin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.admin.AdminHarness;
import dev.veil.admin.AdminHarness.Caller;
import dev.veil.admin.auth.Role;
import dev.veil.admin.resources.DeliveryControl;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two-person rule: drafts, approvals of exact revisions, publishing, and the rule switched off. */
class TwoPersonRuleTest {

    static final String POLICY = """
            version: 1
            destinations:
              - id: hook
                type: webhook
                name: Hook
                settings:
                  url: https://example.org/hook
                  signingSecret: ${env:HOOK_SECRET}
                events:
                  allow:
                    - name: Signed Up
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private AdminHarness h;
    private Caller editor;
    private Caller officer1;
    private Caller officer2;

    @BeforeEach
    void start() {
        h = new AdminHarness(dir, DeliveryControl.NONE, Map.of("HOOK_SECRET", "hook-secret-value-123"));
        editor = h.session(Role.EDITOR);
        officer1 = h.session(Role.PRIVACY_OFFICER);
        officer2 = h.session(Role.PRIVACY_OFFICER);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private long draft(Caller who, String yaml) throws Exception {
        HttpResponse<String> r = h.post(who, "/api/v1/drafts", "{\"yaml\":" + JSON.writeValueAsString(yaml) + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("draft").get("id").asLong();
    }

    private HttpResponse<String> approve(Caller who, long id, int revision) {
        return h.post(who, "/api/v1/drafts/" + id + "/approve", "{\"revision\":" + revision + "}");
    }

    private HttpResponse<String> publish(Caller who, long id, int revision) {
        return h.post(who, "/api/v1/drafts/" + id + "/publish", "{\"revision\":" + revision + "}");
    }

    @Test
    void a_draft_shows_its_plain_words_diff_and_needs_an_approval() throws Exception {
        long id = draft(editor, POLICY);
        JsonNode d = json(h.get(editor, "/api/v1/drafts/" + id));

        assertThat(d.get("valid").asBoolean()).isTrue();
        assertThat(d.get("changes").toString()).contains("hook");
        assertThat(d.get("publishable").asBoolean()).isFalse();
        assertThat(d.get("blockedBecause").asText()).contains("two-person rule");
        HttpResponse<String> r = publish(officer1, id, 1);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("not_publishable");
    }

    @Test
    void the_author_cannot_approve_their_own_draft() throws Exception {
        long id = draft(officer1, POLICY);

        HttpResponse<String> r = approve(officer1, id, 1);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("two-person rule");
        assertThat(publish(officer1, id, 1).statusCode()).isEqualTo(409);
        assertThat(h.config.latestPolicy()).isEmpty();
    }

    @Test
    void an_approved_revision_is_published_and_the_history_names_the_approver() throws Exception {
        long id = draft(editor, POLICY);
        assertThat(approve(officer1, id, 1).statusCode()).isEqualTo(200);

        HttpResponse<String> r = publish(officer2, id, 1);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("version").asInt()).isEqualTo(1);
        JsonNode history = json(h.get(editor, "/api/v1/policies"));
        assertThat(history.get(0).get("approvedBy").toString()).contains(officer1.name());
        assertThat(history.get(0).get("publishedBy").asText()).isEqualTo(officer2.name());
        assertThat(h.stores.audit().latest(5, "policy.publish"))
                .singleElement()
                .satisfies(e -> assertThat(e.detail())
                        .contains("\"before\":0")
                        .contains("\"after\":1")
                        .contains(officer1.name()));
    }

    @Test
    void an_edit_after_approval_needs_a_new_approval_of_the_new_revision() throws Exception {
        long id = draft(editor, POLICY);
        assertThat(approve(officer1, id, 1).statusCode()).isEqualTo(200);
        HttpResponse<String> edit = h.send(
                editor,
                "PUT",
                "/api/v1/drafts/" + id,
                "{\"revision\":1,\"yaml\":" + JSON.writeValueAsString(POLICY.replace("Hook", "Hook 2")) + "}");
        assertThat(edit.statusCode()).as(edit.body()).isEqualTo(200);

        assertThat(publish(officer2, id, 2).statusCode()).isEqualTo(409);
        HttpResponse<String> stale = approve(officer1, id, 1);
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("revision 2");
        assertThat(approve(officer1, id, 2).statusCode()).isEqualTo(200);
        assertThat(publish(officer2, id, 2).statusCode()).isEqualTo(200);
    }

    @Test
    void an_officer_who_edited_the_draft_cannot_approve_it() throws Exception {
        long id = draft(editor, POLICY);
        h.send(
                officer1,
                "PUT",
                "/api/v1/drafts/" + id,
                "{\"revision\":1,\"yaml\":" + JSON.writeValueAsString(POLICY.replace("Hook", "Hook 2")) + "}");

        assertThat(approve(officer1, id, 2).statusCode()).isEqualTo(403);
        assertThat(approve(officer2, id, 2).statusCode()).isEqualTo(200);
    }

    @Test
    void a_concurrent_edit_is_refused_instead_of_overwritten() throws Exception {
        long id = draft(editor, POLICY);
        String body = "{\"revision\":1,\"yaml\":" + JSON.writeValueAsString(POLICY) + "}";
        assertThat(h.send(editor, "PUT", "/api/v1/drafts/" + id, body).statusCode())
                .isEqualTo(200);

        HttpResponse<String> r = h.send(officer1, "PUT", "/api/v1/drafts/" + id, body);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("draft_changed");
    }

    @Test
    void with_the_rule_off_an_officer_publishes_without_approval() throws Exception {
        Caller owner = h.session(Role.OWNER);
        assertThat(h.send(owner, "PUT", "/api/v1/settings", "{\"twoPersonRule\":false}")
                        .statusCode())
                .isEqualTo(200);
        long id = draft(officer1, POLICY);

        assertThat(publish(officer1, id, 1).statusCode()).isEqualTo(200);
        assertThat(h.stores.audit().latest(10, "settings.update"))
                .singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("\"before\":{\"twoPersonRule\":true}"));
    }

    @Test
    void a_draft_from_an_older_version_cannot_be_published_over_a_newer_one() throws Exception {
        long first = draft(editor, POLICY);
        long second = draft(editor, POLICY.replace("Hook", "Other"));
        approve(officer1, first, 1);
        approve(officer1, second, 1);
        assertThat(publish(officer2, first, 1).statusCode()).isEqualTo(200);

        HttpResponse<String> r = publish(officer2, second, 1);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("drafted from version 0 but version 1 is published");
    }

    @Test
    void an_invalid_draft_can_be_saved_but_not_approved() throws Exception {
        long id = draft(editor, "version: 1\nbogus: true\n");
        JsonNode d = json(h.get(editor, "/api/v1/drafts/" + id));
        assertThat(d.get("valid").asBoolean()).isFalse();
        assertThat(d.get("errors").toString()).contains("bogus");

        HttpResponse<String> r = approve(officer1, id, 1);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("invalid_policy");
    }

    @Test
    void destination_edits_become_drafts_and_secrets_are_write_only() throws Exception {
        Caller owner = h.session(Role.OWNER);
        HttpResponse<String> created = h.send(
                editor,
                "PUT",
                "/api/v1/destinations/hook2",
                "{\"type\":\"webhook\",\"name\":\"Second\",\"baa\":false,\"settings\":{\"url\":\"https://example.org/2\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        long id = json(created).get("draft").get("id").asLong();
        HttpResponse<String> secret = h.send(
                editor,
                "PUT",
                "/api/v1/destinations/hook2/secrets/signingSecret?draft=" + id,
                "{\"value\":\"super-secret-signing-key\"}");
        assertThat(secret.statusCode()).as(secret.body()).isEqualTo(200);
        assertThat(secret.body())
                .contains("${secret:destination.hook2.signingSecret}")
                .doesNotContain("super-secret-signing-key");
        int revision = json(secret).get("draft").get("revision").asInt();

        assertThat(approve(officer1, id, revision).statusCode()).isEqualTo(200);
        assertThat(publish(owner, id, revision).statusCode()).isEqualTo(200);
        HttpResponse<String> view = h.get(editor, "/api/v1/destinations/hook2");
        assertThat(view.body()).contains("\"set\":true").doesNotContain("super-secret-signing-key");
        assertThat(h.stores.secrets().get("destination.hook2.signingSecret")).contains("super-secret-signing-key");
        assertThat(h.stores.audit().latest(50, "destination.secret_set"))
                .singleElement()
                .satisfies(e -> assertThat(e.detail())
                        .contains("\"signingSecret\":\"changed\"")
                        .doesNotContain("super-secret"));
    }

    @Test
    void a_secret_setting_cannot_be_sent_as_a_plain_setting() throws Exception {
        HttpResponse<String> r = h.send(
                editor,
                "PUT",
                "/api/v1/destinations/hook2",
                "{\"type\":\"webhook\",\"settings\":{\"signingSecret\":\"plain\"}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .contains("settings.signingSecret")
                .contains("secrets/signingSecret")
                .doesNotContain("plain\"");
    }
}
