package dev.veil.admin.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.admin.AdminException;
import dev.veil.admin.AdminHarness;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.resources.DeliveryControl;
import dev.veil.store.audit.AuditEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy file given to {@code veil serve} at start (issue 12): with the two-person rule on it never publishes
 * over a published policy by itself; it becomes a draft authored by the file, once.
 */
class PolicyFileAtStartTest {

    private static final String FILE = "/etc/veil/policy.yaml";

    private static final String V1 = """
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

    private static final String V2 = V1 + "        - name: Order Completed\n";

    @TempDir
    Path dir;

    private AdminHarness h;
    private PolicyService policies;

    @BeforeEach
    void start() {
        h = new AdminHarness(dir, DeliveryControl.NONE, Map.of("HOOK_SECRET", "hook-secret-value-123"));
        policies = h.services.policies();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private List<AuditEntry> audit() {
        return h.services.audit().log().latest(100, "");
    }

    @Test
    void without_the_two_person_rule_a_changed_file_is_published_with_the_file_as_author() {
        policies.setTwoPersonRule(Principal.system(), false);
        assertThat(policies.applyFileAtStart(V1, FILE)).isInstanceOf(PolicyService.Published.class);
        assertThat(policies.applyFileAtStart(V1, FILE)).isInstanceOf(PolicyService.Unchanged.class);
        assertThat(policies.applyFileAtStart(V2, FILE)).isInstanceOf(PolicyService.Published.class);

        assertThat(policies.published()).hasValueSatisfying(v -> {
            assertThat(v.version()).isEqualTo(2);
            assertThat(v.author()).isEqualTo("file:" + FILE);
        });
        assertThat(audit())
                .filteredOn(e -> e.action().equals("policy.apply"))
                .hasSize(2)
                .allSatisfy(e -> assertThat(e.actor()).isEqualTo("file:" + FILE));
    }

    @Test
    void with_the_two_person_rule_a_changed_file_becomes_a_draft_once_and_the_published_policy_stays() {
        assertThat(policies.twoPersonRule()).as("on by default").isTrue();
        // First start, nothing published: the file bootstraps the policy (audited).
        assertThat(policies.applyFileAtStart(V1, FILE)).isInstanceOf(PolicyService.Published.class);
        assertThat(audit()).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("policy.bootstrap");
            assertThat(e.actor()).isEqualTo("file:" + FILE);
        });

        PolicyService.ApplyResult changed = policies.applyFileAtStart(V2, FILE);

        assertThat(changed).isInstanceOfSatisfying(PolicyService.Drafted.class, d -> {
            assertThat(d.draft().author()).isEqualTo("file:" + FILE);
            assertThat(d.changes()).isNotEmpty();
        });
        assertThat(policies.published())
                .hasValueSatisfying(v -> assertThat(v.version()).isEqualTo(1));
        // A restart with the same file does not draft it again.
        PolicyService.ApplyResult again = policies.applyFileAtStart(V2, FILE);
        assertThat(again)
                .isInstanceOfSatisfying(
                        PolicyService.Drafted.class,
                        d -> assertThat(d.draft().id())
                                .isEqualTo(((PolicyService.Drafted) changed)
                                        .draft()
                                        .id()));
        assertThat(h.services.policies().drafts().drafts(true)).hasSize(1);
        assertThat(audit())
                .filteredOn(e -> e.action().equals("policy.draft_create"))
                .hasSize(1);
        assertThat(policies.published())
                .hasValueSatisfying(v -> assertThat(v.version()).isEqualTo(1));
        // The published file itself is unchanged.
        assertThat(policies.applyFileAtStart(V1, FILE)).isInstanceOf(PolicyService.Unchanged.class);
    }

    @Test
    void an_invalid_file_or_an_unresolved_secret_is_refused_with_the_reason() {
        assertThatThrownBy(() -> policies.applyFileAtStart("version: 1\ndestinations: 7\n", FILE))
                .isInstanceOf(AdminException.class)
                .hasMessageContaining("destinations");
        assertThatThrownBy(() -> policies.applyFileAtStart(V1.replace("HOOK_SECRET", "MISSING_SECRET"), FILE))
                .isInstanceOf(AdminException.class)
                .hasMessageContaining("MISSING_SECRET");
        assertThat(policies.published()).isEmpty();
    }
}
