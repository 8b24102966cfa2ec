package dev.veil.core.engine;

import static dev.veil.core.engine.TestPolicies.destination;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.api.SafeEvent;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per leak and false positive found by the issue "PHI that hides in encodings, formats and ids". */
class LeakRegressionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final DefaultPrivacyEngine engine = TestEvents.engine(
            TestEvents.privacy(List.of("utm_content"), List.of("/patients/{patientId}/**"), List.of()));

    private SafeEvent send(String property, String value, String url) {
        ObjectNode msg = JSON.createObjectNode();
        msg.put("type", "track").put("event", "E").put("messageId", "m-1");
        msg.putObject("properties").put(property, value);
        if (url != null) {
            msg.putObject("context").putObject("page").put("url", url).put("referrer", url);
        }
        RawEvent e = new RawEvent(
                "website", "m-1", EventType.TRACK, TestEvents.RECEIVED, TestEvents.RECEIVED, msg, null, null, false);
        DestinationPolicy d = destination("ga4")
                .allow("E", property, "pass")
                .context(TestPolicies.generousContext("gclid"))
                .build();
        Decision decision = engine.evaluate(e, d);
        assertThat(decision).isInstanceOf(Decision.Forward.class);
        return ((Decision.Forward) decision).event();
    }

    @ParameterizedTest(name = "{0} in a page URL and referrer is not forwarded")
    @CsvSource(
            delimiter = '|',
            value = {
                "double percent-encoding|https://www.example.org/book?utm_content=jane%2540example.org|jane",
                "encoded slashes bypassing path templates|https://www.example.org/patients%2F84502731%2Fresults|84502731",
                "base64 e-mail in a query parameter|https://www.example.org/book?utm_content=amFuZUBleGFtcGxlLm9yZw|amFuZUBl",
                "base64url e-mail in a path segment|https://www.example.org/u/amFuZUBleGFtcGxlLm9yZw/book|amFuZUBl",
                "an account number in a path segment|https://www.example.org/billing/acct-62752855/pay|62752855",
                "'+' splitting an e-mail|https://www.example.org/book?utm_content=jane+doe%40example.org|doe"
            })
    void regression_encoded_phi_in_urls(String what, String url, String phi) {
        SafeEvent e = send("plan", "gold", url);
        assertThat(e.context().pageUrl()).as(what).doesNotContain(phi);
        assertThat(e.context().referrer()).as(what).doesNotContain(phi);
    }

    @ParameterizedTest(name = "{0} is redacted")
    @CsvSource(
            delimiter = '|',
            value = {
                "jane%2540example.org|email",
                "jane+doe%40example.org|email",
                "josé.garcía@example.org|email",
                "jane＠example.org|email",
                "jane&#64;example.org|email",
                "amFuZUBleGFtcGxlLm9yZw==|email",
                "maria@bücher.de|email",
                "jane at example dot org|email",
                "22-Sep-1958|date",
                "19900515|date",
                "Mar 19 '91|date",
                "MRN: 67142170|mrn",
                "acct-62752855|mrn",
                "5034455578|phone",
                "15034455578|phone",
                "312/474-9592|phone",
                "503\u2011445\u20115578|phone",
                "+44 (0)20 7946 0958|phone",
                "123456789|ssn",
                "123.45.6789|ssn"
            })
    void regression_phi_formats_and_encodings_in_properties(String value, String detector) {
        SafeEvent e = send("note", value, null);
        assertThat((String) e.properties().get("note")).isEqualTo("[REDACTED:" + detector + "]");
    }

    @ParameterizedTest(name = "{0} stays as it is")
    @ValueSource(
            strings = {
                "SKU68915",
                "ITEM#22302",
                "#53607",
                "INV-2026-11-16",
                "code 81332",
                "21-40 of 27713 results",
                "Room 12345",
                "report_2026-11-28.pdf",
                "hero@2x.png",
                "http://localhost:54321/book.html",
                "5d41402abc4b2a76b9719d911017c592",
                "7c9e6679-7425-40de-944b-e07fc1f90ae7"
            })
    void regression_benign_values_are_not_mangled(String value) {
        assertThat(send("label", value, null).properties()).containsEntry("label", value);
    }

    @Test
    void regression_version_strings_in_version_fields_are_not_ip_addresses() {
        assertThat(send("app_version", "12.4.1.90", null).properties()).containsEntry("app_version", "12.4.1.90");
        assertThat(send("note", "from 12.4.1.90", null).properties()).containsEntry("note", "from [REDACTED:ip]");
    }

    @Test
    void regression_a_click_id_with_five_digits_in_a_row_is_kept() {
        SafeEvent e = send("plan", "gold", "https://www.example.org/book?gclid=Cj0KCQiA12345abcDEF_ghi");
        assertThat(e.context().clickIds()).containsEntry("gclid", "Cj0KCQiA12345abcDEF_ghi");
    }

    @ParameterizedTest(name = "revenue {0} is not forwarded")
    @ValueSource(strings = {"5034455578", "call me", "12,50", "1e9"})
    void regression_numbers_disguised_as_money_are_dropped(String revenue) {
        assertThat(send("revenue", revenue, null).properties()).doesNotContainKey("revenue");
    }

    @Test
    void money_fields_keep_real_amounts() {
        assertThat(send("revenue", "129.99", null).properties()).containsEntry("revenue", "129.99");
        assertThat(send("value", "-15", null).properties()).containsEntry("value", "-15");
    }

    @Test
    void the_trace_says_which_decoding_revealed_a_match() {
        ObjectNode msg = JSON.createObjectNode();
        msg.put("type", "track").put("event", "E").put("messageId", "m-1");
        msg.putObject("properties").put("note", "call%20503%20445%205578");
        RawEvent e = new RawEvent(
                "website", "m-1", EventType.TRACK, TestEvents.RECEIVED, TestEvents.RECEIVED, msg, null, null, false);
        Decision d =
                engine.evaluate(e, destination("ga4").allow("E", "note", "pass").build());
        assertThat(d.trace())
                .contains(new Decision.TraceEntry(
                        "properties.note", "redacted", "detector phone, after percent-decoding"));
    }
}
