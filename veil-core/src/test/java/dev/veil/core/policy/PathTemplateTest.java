package dev.veil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathTemplateTest {

    @Test
    void a_variable_captures_the_index_of_its_segment() {
        PathTemplate t = PathTemplate.parse("/patients/{patientId}/**");
        assertThat(t.match("/patients/12345/visits/9")).contains(List.of(1));
        assertThat(t.match("/patients/12345")).contains(List.of(1));
        assertThat(t.match("/patients")).isEmpty();
        assertThat(t.match("/doctors/1")).isEmpty();
    }

    @Test
    void a_star_matches_exactly_one_segment() {
        PathTemplate t = PathTemplate.parse("/conditions/*");
        assertThat(t.match("/conditions/diabetes")).contains(List.of());
        assertThat(t.match("/conditions/diabetes/type-2")).isEmpty();
        assertThat(t.match("/conditions")).isEmpty();
    }

    @Test
    void a_trailing_slash_does_not_matter() {
        assertThat(PathTemplate.parse("/appointments/{id}/").match("/appointments/7"))
                .contains(List.of(1));
        assertThat(PathTemplate.parse("/appointments/{id}").match("/appointments/7/"))
                .contains(List.of(1));
    }

    @Test
    void the_root_template_matches_only_the_root() {
        assertThat(PathTemplate.parse("/").match("/")).isPresent();
        assertThat(PathTemplate.parse("/").match("/a")).isEmpty();
    }

    @Test
    void malformed_templates_are_refused_with_a_reason() {
        assertThatThrownBy(() -> PathTemplate.parse("a/b")).hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> PathTemplate.parse("/a/**/b")).hasMessageContaining("only allowed as the last");
        assertThatThrownBy(() -> PathTemplate.parse("/a/{x")).hasMessageContaining("segment 2 is neither");
    }
}
