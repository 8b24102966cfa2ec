package dev.veil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Names and addresses hide in free text that no pattern finds: passing such a field is flagged. */
class FreeTextWarningTest {

    private static List<String> warnings(String destinationBody) {
        Policy p = Yaml.parse(Yaml.withDestination(destinationBody));
        return new PolicyValidator(Map.of())
                .validate(p, LineIndex.EMPTY).stream()
                        .filter(pr -> pr.severity() == PolicyProblem.Severity.WARNING)
                        .map(PolicyProblem::message)
                        .filter(m -> m.contains("free text"))
                        .toList();
    }

    @Test
    void passing_a_field_named_like_free_text_is_a_warning() {
        assertThat(warnings("properties:\n  search_query: pass\n  notes: pass\n  plan: pass\ntraits:\n  Comment: pass"))
                .hasSize(3)
                .anySatisfy(m -> assertThat(m)
                        .startsWith("destinations[0].properties.search_query: 'pass' on a"
                                + " field that looks like free text"))
                .anySatisfy(m -> assertThat(m).startsWith("destinations[0].traits.Comment:"));
    }

    @Test
    void dropping_masking_or_giving_a_reason_is_not() {
        assertThat(warnings("properties:\n  notes: drop\n  message: mask\n"
                        + "  query: {transform: pass, reason: \"a product search box, no patient text\"}"))
                .isEmpty();
    }
}
