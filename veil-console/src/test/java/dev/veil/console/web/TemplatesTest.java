package dev.veil.console.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.console.matrix.PrivacyMatrix;
import dev.veil.console.matrix.PrivacyMatrixTest;
import dev.veil.store.DictionaryStore.Entry;
import dev.veil.store.DictionaryStore.EventKey;
import dev.veil.store.DictionaryStore.FieldType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplatesTest {

    private final Templates templates = new Templates();
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    private static Chrome chrome() {
        return new Chrome(
                "Privacy matrix",
                "matrix",
                "alice",
                "editor",
                "csrf-token-1",
                List.of(new Chrome.NavItem("matrix", "Privacy matrix", "/console/matrix")),
                List.of());
    }

    private String matrix(List<Entry> entries) {
        PrivacyMatrix m = PrivacyMatrix.build(PrivacyMatrixTest.policy(), entries, List.of());
        return templates.render(
                "matrix.jte",
                Map.of(
                        "chrome",
                        chrome(),
                        "matrix",
                        m,
                        "canEdit",
                        true,
                        "canReview",
                        true,
                        "now",
                        NOW,
                        "skippedBatches",
                        0L));
    }

    @Test
    void renders_the_matrix_with_a_column_per_destination_and_links_to_each_editable_cell() {
        String html = matrix(PrivacyMatrixTest.ENTRIES_FOR_TEMPLATES);

        assertThat(html).contains("<th scope=\"col\">GA4 (marketing)");
        assertThat(html).contains("properties.service_line");
        assertThat(html)
                .contains("href=\"/console/matrix/cell?dest=ga4&amp;type=track&amp;event=Appointment+Booked"
                        + "&amp;path=properties.service_line\"");
        assertThat(html).contains("aria-current=\"page\"");
        assertThat(html).contains("new · blocked everywhere");
    }

    @Test
    void escapes_names_from_traffic_and_has_no_inline_scripts_or_styles() {
        List<Entry> entries = new ArrayList<>(PrivacyMatrixTest.ENTRIES_FOR_TEMPLATES);
        EventKey odd = EventKey.track("<script>alert(1)</script>");
        Instant t = Instant.parse("2026-11-29T10:00:00Z");
        entries.add(new Entry(odd, "", Set.of(FieldType.OBJECT), 1, t, t, null, null));
        entries.add(new Entry(odd, "properties.x", Set.of(FieldType.STRING), 1, t, t, null, null));

        String html = matrix(entries);

        assertThat(html).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html.replace("<script src=\"/console/assets/htmx.min.js\" defer></script>", ""))
                .doesNotContain("<script");
        assertThat(html).doesNotContain("style=").doesNotContain("<style").doesNotContain(" onclick");
    }
}
