package dev.veil.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.admin.AdminException;
import dev.veil.admin.AdminHarness;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's login in two steps (password, then the code): same checks, lockout and audit as one step. */
class TwoStepLoginTest {

    @TempDir
    Path dir;

    private AdminHarness h;

    @BeforeEach
    void start() {
        h = new AdminHarness(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private String code(String user) {
        Totp totp = h.auth().totp();
        return totp.code(h.totpSecret(user), totp.currentStep());
    }

    @Test
    void a_correct_password_gives_a_ticket_and_the_code_then_signs_in_once() {
        String officer = h.createUser(Role.PRIVACY_OFFICER);
        h.clock.advance(Duration.ofSeconds(31)); // the setup used the current step's code

        AuthService.PasswordStep step =
                h.auth().loginPassword(officer, AdminHarness.password(officer), "127.0.0.1", null);
        assertThat(step.session()).isNull();
        assertThat(step.ticket()).isNotBlank();

        AuthService.NewSession s = h.auth().loginSecondFactor(step.ticket(), code(officer), null, "127.0.0.1", null);
        assertThat(s.principal().name()).isEqualTo(officer);
        assertThat(s.principal().role()).isEqualTo(Role.PRIVACY_OFFICER);
        assertThat(h.auth().session(s.cookieValue()).principal()).isNotNull();

        // The ticket is spent.
        assertThatThrownBy(() -> h.auth().loginSecondFactor(step.ticket(), code(officer), null, "127.0.0.1", null))
                .isInstanceOfSatisfying(
                        AdminException.class, e -> assertThat(e.code()).isEqualTo("login_expired"));
    }

    @Test
    void a_wrong_password_gives_no_ticket_and_an_account_without_totp_signs_in_at_once() {
        String editor = h.createUser(Role.EDITOR);
        assertThatThrownBy(() -> h.auth().loginPassword(editor, "wrong password here", "127.0.0.1", null))
                .isInstanceOfSatisfying(
                        AdminException.class, e -> assertThat(e.code()).isEqualTo("invalid_credentials"));

        AuthService.PasswordStep step =
                h.auth().loginPassword(editor, AdminHarness.password(editor), "127.0.0.1", null);
        assertThat(step.ticket()).isNull();
        assertThat(step.session()).isNotNull();
        assertThat(step.session().principal().role()).isEqualTo(Role.EDITOR);
    }

    @Test
    void wrong_codes_count_toward_the_lockout_and_a_ticket_expires() {
        String officer = h.createUser(Role.PRIVACY_OFFICER);
        AuthService.PasswordStep step =
                h.auth().loginPassword(officer, AdminHarness.password(officer), "127.0.0.1", null);
        for (int i = 0; i < h.auth().options().maxFailedLogins(); i++) {
            assertThatThrownBy(() -> h.auth().loginSecondFactor(step.ticket(), "000000", null, "127.0.0.1", null))
                    .isInstanceOf(AdminException.class);
        }
        assertThatThrownBy(() -> h.auth().loginSecondFactor(step.ticket(), code(officer), null, "127.0.0.1", null))
                .isInstanceOfSatisfying(
                        AdminException.class, e -> assertThat(e.code()).isEqualTo("account_locked"));

        h.clock.advance(h.auth().options().lockout().plusMinutes(1));
        AuthService.PasswordStep late =
                h.auth().loginPassword(officer, AdminHarness.password(officer), "127.0.0.1", null);
        h.clock.advance(AuthService.TICKET_TTL.plusSeconds(1));
        assertThatThrownBy(() -> h.auth().loginSecondFactor(late.ticket(), code(officer), null, "127.0.0.1", null))
                .isInstanceOfSatisfying(
                        AdminException.class, e -> assertThat(e.code()).isEqualTo("login_expired"));
    }
}
