package dev.veil.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.core.policy.PrivacySettings.Detector;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The scanner skips a detector's regex when one pass over the string shows it cannot match. These properties
 * check that the shortcut never changes a result: for strings built from PHI-like fragments, random separators
 * and noise, {@code scan} equals a scan that runs every regex.
 */
class PhiScannerShortcutsTest {

    private static final PhiScanner DEFAULTS = PhiScanner.defaults();
    private static final PhiScanner CUSTOM_MRN = PhiScanner.of(
            Set.of(Detector.values()),
            List.of("PT\\d{4}", "MRN[- ]?\\d{6,10}", "Ch?art#\\d+", "(?:ACC|acct)\\d{5}", "\\bX\\d{3}"));

    private static final List<String> FRAGMENTS = List.of(
            "jane@example.org",
            "jane%40example.org",
            "(555) 010-9999",
            "555-010-9999",
            "555.010.9999",
            "+1 555 010 9999",
            "+15550109999",
            "+44 20 7946 0958",
            "+129.99 0", // a short international phone form (found by this property: 6 digits, a '+')
            "123-45-6789",
            "123 45 6789",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "4111111111111111",
            "378282246310005",
            "1984-03-12",
            "03/12/1984",
            "3/12/84",
            "12.03.1984",
            "March 12, 1984",
            "12th of March 1984",
            "Mar. 3 2020",
            "MRN-1234567",
            "mrn:12345678",
            "PT1234",
            "pt 1234",
            "Pt1234",
            "MRN 12345678",
            "Cart#77",
            "Chart#1234",
            "acct12345",
            "ACC12345",
            "X123",
            "94110",
            "94110-1234",
            "216.160.83.56",
            "2001:db8::1",
            "::ffff:10.0.0.1",
            "Chrome/131.0.0.0",
            "v1.2.3.4",
            "fb.1.1772366398000.IwAR0abcdef",
            "CjwKCAiA1234567",
            "VISIT-30",
            "$94110.50",
            "129.99",
            "1772366300000",
            "cardiology",
            "prefers mornings");

    @Provide
    Arbitrary<String> phiLikeText() {
        Arbitrary<String> fragment = Arbitraries.of(FRAGMENTS);
        Arbitrary<String> separator =
                Arbitraries.of(" ", "", "-", ".", "/", ",", ":", "(", ")", "+", "\t", "\n", "a", "#", "_", "=", "&");
        Arbitrary<String> noise = Arbitraries.strings()
                .withChars("0123456789 -./()+:@%#abcMRNmarchJ\t")
                .ofMaxLength(24);
        Arbitrary<String> piece = Arbitraries.oneOf(fragment, fragment, noise);
        Arbitrary<String> chunk = Arbitraries.oneOf(piece, separator)
                .list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .map(l -> String.join("", l));
        return chunk.list().ofMinSize(1).ofMaxSize(8).map(l -> String.join("", l));
    }

    @Property(tries = 3000)
    void the_shortcuts_never_change_what_the_default_scanner_finds(@ForAll("phiLikeText") String text) {
        assertThat(DEFAULTS.scan(text)).isEqualTo(DEFAULTS.scanWithoutShortcuts(text));
    }

    @Property(tries = 1500)
    void the_shortcuts_never_change_what_a_scanner_with_custom_mrn_patterns_finds(@ForAll("phiLikeText") String text) {
        assertThat(CUSTOM_MRN.scan(text)).isEqualTo(CUSTOM_MRN.scanWithoutShortcuts(text));
    }

    @Property(tries = 1500)
    void the_shortcuts_never_change_results_on_arbitrary_unicode(@ForAll String text) {
        assertThat(DEFAULTS.scan(text)).isEqualTo(DEFAULTS.scanWithoutShortcuts(text));
    }

    @Example
    void an_mrn_pattern_runs_only_on_text_with_its_literal_prefix() {
        assertThat(PhiScanner.requiredPrefix("MRN[- ]?\\d{6,10}")).isEqualTo("MRN");
        assertThat(PhiScanner.requiredPrefix("PT\\d{4}")).isEqualTo("PT");
        assertThat(PhiScanner.requiredPrefix("Ch?art#\\d+")).isEqualTo("C");
        assertThat(PhiScanner.requiredPrefix("(?:ACC|acct)\\d{5}")).isEmpty();
        assertThat(PhiScanner.requiredPrefix("MRN\\d+|PT\\d+")).isEmpty();
        assertThat(PhiScanner.requiredPrefix("\\bX\\d{3}")).isEmpty();
        assertThat(PhiScanner.containsIgnoreAsciiCase("id mrn-1234567", "MRN")).isTrue();
        assertThat(PhiScanner.containsIgnoreAsciiCase("id MR-1234567", "MRN")).isFalse();
        assertThat(CUSTOM_MRN.scan("see mrn 1234567").counts()).containsKey(Detector.MRN);
    }

    @Example
    void every_fragment_with_phi_is_still_found() {
        for (String f : FRAGMENTS) {
            assertThat(DEFAULTS.scan(f)).as(f).isEqualTo(DEFAULTS.scanWithoutShortcuts(f));
        }
        assertThat(DEFAULTS.scan("call (555) 010-9999 on March 12, 1984 from 94110")
                        .counts())
                .hasSize(3);
    }
}
