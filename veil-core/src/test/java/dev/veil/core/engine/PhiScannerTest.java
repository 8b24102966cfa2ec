package dev.veil.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.core.policy.PrivacySettings.Detector;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhiScannerTest {

    private final PhiScanner scanner = PhiScanner.defaults();

    @ParameterizedTest(name = "{0} is redacted as {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "write to Jane.Doe@Example.org today|email",
                "jane%40example.org|email",
                "call (555) 123-4567|phone",
                "call 555-123-4567|phone",
                "call +1 555 123 4567|phone",
                "E.164 +15551234567|phone",
                "intl +44 20 7946 0958|phone",
                "ssn 123-45-6789|ssn",
                "born 1984-03-12|date",
                "born 03/12/1984|date",
                "born March 12 1984|date",
                "born 12 March 1984|date",
                "visit on Mar. 3rd, 2025|date",
                "chart MRN-12345678|mrn",
                "from 203.0.113.9|ip",
                "from 2001:db8::1|ip",
                "http://10.1.2.3/admin|ip",
                "card 4111 1111 1111 1111|creditCard",
                "card 5500-0000-0000-0004|creditCard",
                "lives in 94110|zip",
                "lives in 94110-1234|zip"
            })
    void detects_phi_patterns(String text, String detector) {
        PhiScanner.Result r = scanner.scan(text);
        assertThat(r.matched()).isTrue();
        assertThat(r.text()).contains("[REDACTED:" + detector + "]");
        assertThat(PhiScanner.wireName(r.firstDetector())).isEqualTo(detector);
    }

    @ParameterizedTest(name = "{0} is left alone")
    @ValueSource(
            strings = {
                "129.99",
                "1732900000000",
                "session 1732900000000",
                "order 12345678",
                "Chrome/131.0.6778.85",
                "Chrome/131.0.0.0 Safari/537.36",
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15",
                "10:30:45",
                "cardiology",
                "USD",
                "version 1.2.3",
                "4111 1111 1111 1112",
                "$12345.00",
                "price 12,345.00",
                "2026"
            })
    void leaves_ordinary_values_alone(String text) {
        PhiScanner.Result r = scanner.scan(text);
        assertThat(r.matched()).as(r.text()).isFalse();
        assertThat(r.text()).isSameAs(text);
    }

    @Test
    void counts_every_match_per_detector() {
        PhiScanner.Result r = scanner.scan("a@b.org, c@d.org and 555-123-4567");
        assertThat(r.counts()).containsEntry(Detector.EMAIL, 2).containsEntry(Detector.PHONE, 1);
        assertThat(r.text()).isEqualTo("[REDACTED:email], [REDACTED:email] and [REDACTED:phone]");
    }

    @Test
    void only_enabled_detectors_run() {
        PhiScanner onlyEmail = PhiScanner.of(Set.of(Detector.EMAIL), List.of());
        assertThat(onlyEmail.scan("555-123-4567").matched()).isFalse();
        assertThat(onlyEmail.scan("x@y.org").matched()).isTrue();
    }

    @Test
    void uses_configured_mrn_patterns() {
        PhiScanner custom = PhiScanner.of(Set.of(Detector.MRN), List.of("PT\\d{5}"));
        assertThat(custom.scan("chart PT12345").text()).isEqualTo("chart [REDACTED:mrn]");
        assertThat(custom.scan("chart MRN-12345678").matched()).isFalse();
    }

    @Test
    void checks_card_numbers_with_luhn_and_issuer_prefix() {
        assertThat(PhiScanner.isCardNumber("4111111111111111")).isTrue();
        assertThat(PhiScanner.isCardNumber("4111111111111112")).isFalse();
        assertThat(PhiScanner.isCardNumber("1732900000000")).isFalse();
    }
}
