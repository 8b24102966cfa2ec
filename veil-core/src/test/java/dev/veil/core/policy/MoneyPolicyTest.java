package dev.veil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code privacy.money} block: defaults, parsing, errors, export round trip and diff. */
class MoneyPolicyTest {

    private static Policy withMoney(String money) {
        return Yaml.parse("version: 1\nprivacy:\n  money:\n" + money.indent(4));
    }

    @Test
    void the_segment_commerce_fields_and_one_million_are_the_defaults() {
        PrivacySettings.Money m = Yaml.parse("version: 1\n").privacy().money();
        assertThat(m.fields())
                .containsExactly("value", "revenue", "price", "total", "subtotal", "tax", "shipping", "discount");
        assertThat(m.maximum()).isEqualByComparingTo("1000000");
    }

    @Test
    void fields_and_maximum_are_read_and_round_trip_through_export() {
        Policy p = withMoney("fields: [value, fee]\nmaximum: 2500.50");
        assertThat(p.privacy().money().fields()).containsExactly("value", "fee");
        assertThat(p.privacy().money().maximum()).isEqualByComparingTo(new BigDecimal("2500.5"));
        assertThat(Yaml.parse(PolicyExporter.export(p))).isEqualTo(p);
        Policy defaults = Yaml.parse("version: 1\n");
        assertThat(Yaml.parse(PolicyExporter.export(defaults))).isEqualTo(defaults);
    }

    @Test
    void a_maximum_that_is_not_a_positive_number_is_an_error() {
        assertThat(Yaml.errors("version: 1\nprivacy:\n  money:\n    maximum: lots\n"))
                .containsExactly("privacy.money.maximum: expected a positive number, found a string (line 4)");
        assertThat(Yaml.errors("version: 1\nprivacy:\n  money:\n    maximum: -5\n"))
                .hasSize(1);
    }

    @Test
    void changes_are_diffed_in_plain_words() {
        Policy from = withMoney("fields: [value]\nmaximum: 1000000");
        Policy to = withMoney("fields: [value, fee]\nmaximum: 50000");
        assertThat(PolicyDiff.between(from, to))
                .extracting(PolicyDiff.Change::toString)
                .isEqualTo(
                        List.of("privacy: treats as a money field `fee`", "privacy: money maximum: 1000000 → 50000"));
    }
}
