package dev.veil.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueTransformsTest {

    @ParameterizedTest(name = "zip3({0}) = {1}")
    @CsvSource({"94110,941", "94110-1234,941", "941101234,941", "03601,000", "89301,000", "10201,000", " 60614 ,606"})
    void zip3_keeps_the_first_three_digits_or_zeroes_small_areas(String in, String out) {
        assertThat(ValueTransforms.zip3(in)).contains(out);
    }

    @Test
    void zip3_list_is_the_hhs_list() {
        assertThat(ValueTransforms.RESTRICTED_ZIP3)
                .containsExactlyInAnyOrder(
                        "036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830", "831", "878",
                        "879", "884", "890", "893");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9411", "abcde", "94110 Main St", ""})
    void zip3_drops_what_is_not_a_zip(String in) {
        assertThat(ValueTransforms.zip3(in)).isEmpty();
    }

    @ParameterizedTest(name = "year({0}) = {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "1984-03-12|1984",
                "1984-03-12T10:00:00Z|1984",
                "03/12/1984|1984",
                "March 12, 1984|1984",
                "12 March 1984|1984",
                "1984|1984"
            })
    void year_keeps_only_the_year(String in, String out) {
        assertThat(ValueTransforms.year(in)).contains(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "1984-13-45", "84", ""})
    void year_drops_unparseable_dates(String in) {
        assertThat(ValueTransforms.year(in)).isEmpty();
    }

    @Test
    void age90_caps_ages_at_90_plus() {
        assertThat(ValueTransforms.age90("45")).isEqualTo(Optional.of(45));
        assertThat(ValueTransforms.age90("89")).isEqualTo(Optional.of(89));
        assertThat(ValueTransforms.age90("90")).isEqualTo(Optional.of("90+"));
        assertThat(ValueTransforms.age90("104")).isEqualTo(Optional.of("90+"));
        assertThat(ValueTransforms.age90("old")).isEmpty();
        assertThat(ValueTransforms.age90("-3")).isEmpty();
    }
}
