package dev.veil.console.ops;

import static dev.veil.console.ops.OpsHarness.as;
import static dev.veil.console.ops.OpsHarness.chrome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Role;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live debugger over real engine decisions: hidden values by default, audited reveal for privacy officers. */
class DebuggerPagesTest {

    @TempDir
    Path dir;

    OpsHarness h;
    DebuggerPages pages;
    long id;

    @BeforeEach
    void setUp() {
        h = new OpsHarness(dir).withPolicy();
        pages = new DebuggerPages(h.ops);
        id = h.withRecentEvent();
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void the_list_shows_each_destinations_outcome_without_values() {
        Principal viewer = as(Role.VIEWER);

        String html = pages.list(viewer, chrome(viewer)).text();

        assertThat(html).contains("Appointment Booked").contains("<code>ga4</code>: <span class=\"ok\">sent</span>");
        assertThat(html).contains("redacted");
        assertThat(html).doesNotContain(OpsHarness.PHI_EMAIL).doesNotContain(OpsHarness.PHI_NAME);
    }

    @Test
    void an_event_shows_side_by_side_what_was_received_and_sent_with_redactions_marked_and_values_hidden() {
        Principal viewer = as(Role.VIEWER);

        String html = pages.event(viewer, chrome(viewer), id).text();

        assertThat(html).contains("As received").contains("As <code>ga4</code> received it");
        assertThat(html).contains("As <code>crm</code> received it");
        assertThat(html).contains("<code>properties.full_name</code>");
        // The scanner found the e-mail address in the 'plan' value that GA4 may receive: the row is marked.
        assertThat(html).containsPattern("<tr class=\"redacted\"><th scope=\"row\"><code>properties.plan</code></th>");
        assertThat(html).contains("<strong>transformed</strong>").contains("zip3");
        assertThat(html).contains("<strong>masked</strong>");
        assertThat(html).contains("Only a privacy officer can reveal them").doesNotContain("/reveal");
        for (String canary : List.of(OpsHarness.PHI_EMAIL, OpsHarness.PHI_NAME, OpsHarness.PHI_ZIP, "u-123")) {
            assertThat(html).doesNotContain(canary);
        }
    }

    @Test
    void revealing_needs_the_privacy_officer_role_and_writes_an_audit_entry() {
        for (Role r : List.of(Role.VIEWER, Role.EDITOR)) {
            Principal p = as(r);
            assertThatThrownBy(() -> pages.reveal(p, chrome(p), id)).hasMessageContaining("may not");
        }
        assertThat(h.services.audit().log().latest(10, "raw.view")).isEmpty();

        Principal officer = as(Role.PRIVACY_OFFICER);
        assertThat(pages.event(officer, chrome(officer), id).text()).contains("/console/debugger/" + id + "/reveal");
        PageResult revealed = pages.reveal(officer, chrome(officer), id);

        assertThat(revealed.headers()).containsEntry("Cache-Control", "no-store");
        assertThat(revealed.text()).contains(OpsHarness.PHI_EMAIL).contains(OpsHarness.PHI_NAME);
        assertThat(h.services.audit().log().latest(10, "raw.view"))
                .singleElement()
                .satisfies(e -> assertThat(e.target()).isEqualTo("recent_event:" + id));
    }

    @Test
    void an_event_that_left_memory_is_not_found() {
        Principal viewer = as(Role.VIEWER);
        assertThatThrownBy(() -> pages.event(viewer, chrome(viewer), 999)).hasMessageContaining("left memory");
    }
}
