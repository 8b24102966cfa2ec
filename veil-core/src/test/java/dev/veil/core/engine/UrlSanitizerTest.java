package dev.veil.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.core.policy.PrivacySettings;
import dev.veil.core.policy.PrivacySettings.SensitiveAction;
import dev.veil.core.policy.PrivacySettings.SensitivePage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlSanitizerTest {

    static final UrlSanitizer SANITIZER = new UrlSanitizer(
            new PrivacySettings.Url(
                    List.of("utm_source", "utm_medium", "utm_campaign"),
                    List.of("/patients/{patientId}/**", "/appointments/{id}"),
                    List.of(
                            new SensitivePage("/conditions/**", "/conditions/*", SensitiveAction.REPLACE),
                            new SensitivePage("/portal/**", null, SensitiveAction.DROP_EVENT))),
            PhiScanner.compileMrn(List.of()));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "https://www.example.org/find-a-doctor?utm_source=news&q=knee+pain#top|https://www.example.org/find-a-doctor?utm_source=news",
                "https://jane:secret@www.example.org/|https://www.example.org/",
                "https://www.example.org/patients/8812/records/77881|https://www.example.org/patients/{patientId}/records/{id}",
                "https://www.example.org/appointments/abc|https://www.example.org/appointments/{id}",
                "https://www.example.org/Patients/x1/visit|https://www.example.org/Patients/{patientId}/visit",
                "https://www.example.org/orders/1234|https://www.example.org/orders/{id}",
                "https://www.example.org/orders/123|https://www.example.org/orders/123",
                "https://www.example.org/u/3f2504e0-4f89-11d3-9a0c-0305e82c3301/x|https://www.example.org/u/{id}/x",
                "https://www.example.org/u/jane%40doe.com|https://www.example.org/u/{id}",
                "https://www.example.org/chart/MRN-00123456|https://www.example.org/chart/{id}",
                "https://www.example.org/conditions/diabetes/type-2|https://www.example.org/conditions/*",
                "https://www.example.org/a;jsessionid=XYZ/b|https://www.example.org/a/b",
                "/find?utm_medium=email&email=x|/find?utm_medium=email",
                "HTTPS://WWW.Example.org|https://www.example.org/"
            })
    void sanitizes_urls(String in, String out) {
        assertThat(SANITIZER.sanitize(in).url()).isEqualTo(out);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "https://www.example.org/records/pt1234/view|https://www.example.org/records/{id}/view",
                "https://www.example.org/records/PT1234|https://www.example.org/records/{id}",
                "https://www.example.org/chart/ACC12345|https://www.example.org/chart/{id}",
                "https://www.example.org/records/pt12/view|https://www.example.org/records/pt12/view",
                "https://www.example.org/patient-portal-help-center/x|https://www.example.org/patient-portal-help-center/x"
            })
    void replaces_segments_that_match_configured_mrn_patterns(String in, String out) {
        UrlSanitizer custom = new UrlSanitizer(
                new PrivacySettings.Url(List.of(), List.of(), List.of()),
                PhiScanner.compileMrn(List.of("PT\\d{4}", "(?:ACC|acct)\\d{5}")));
        assertThat(custom.sanitize(in).url()).isEqualTo(out);
    }

    @Test
    void flags_pages_whose_events_must_be_dropped() {
        UrlSanitizer.Outcome o = SANITIZER.sanitize("https://www.example.org/portal/messages/55");
        assertThat(o.dropEvent()).isTrue();
        assertThat(o.rules()).contains("sensitivePages[1]");
    }

    @Test
    void drops_non_http_urls_whole() {
        assertThat(SANITIZER.sanitize("javascript:alert(document.cookie)").url())
                .isNull();
        assertThat(SANITIZER.sanitize("mailto:jane@doe.com").url()).isNull();
        assertThat(SANITIZER.sanitize("https://exa mple.org/").url()).isNull();
    }

    @Test
    void names_what_it_changed_without_values() {
        UrlSanitizer.Outcome o = SANITIZER.sanitize("https://u:p@x.org/orders/1234?email=a#f");
        assertThat(o.rules()).containsExactly("fragment", "userinfo", "id segment", "query param");
        assertThat(o.path()).isEqualTo("/orders/{id}");
    }

    @Test
    void treats_backslashes_like_browsers_do() {
        assertThat(SANITIZER.sanitize("https:\\\\user@x.org\\patients\\9\\a").url())
                .isEqualTo("https://x.org/patients/{patientId}/a");
    }
}
