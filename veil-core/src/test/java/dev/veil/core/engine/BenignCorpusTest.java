package dev.veil.core.engine;

import static dev.veil.core.engine.TestPolicies.destination;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * False positives: ordinary marketing and commerce values, each in the field it usually travels in, must pass the
 * scanner unchanged. At most 1 % may be altered; the report shows the rate per category.
 */
class BenignCorpusTest {

    @Test
    void at_most_one_percent_of_benign_values_is_altered() {
        DefaultPrivacyEngine engine = TestEvents.engine();
        ObjectMapper json = new ObjectMapper();
        Map<String, int[]> perCategory = new TreeMap<>();
        List<String> altered = new ArrayList<>();
        List<PhiCorpus.Benign> corpus = PhiCorpus.benign();
        for (PhiCorpus.Benign b : corpus) {
            ObjectNode msg = json.createObjectNode();
            msg.put("type", "track").put("event", "E").put("messageId", "m-1");
            msg.putObject("properties").put(b.field(), b.value());
            RawEvent e = new RawEvent(
                    "website",
                    "m-1",
                    EventType.TRACK,
                    TestEvents.RECEIVED,
                    TestEvents.RECEIVED,
                    msg,
                    null,
                    null,
                    false);
            DestinationPolicy d = destination("d").allow("E", b.field(), "pass").build();
            Decision decision = engine.evaluate(e, d);
            Object out = decision instanceof Decision.Forward f
                    ? f.event().properties().get(b.field())
                    : null;
            int[] row = perCategory.computeIfAbsent(b.category(), k -> new int[2]);
            row[0]++;
            if (!b.value().equals(out)) {
                row[1]++;
                altered.add(b.category() + " " + b.field() + "=" + b.value() + " -> " + out);
            }
        }
        StringBuilder report =
                new StringBuilder("Benign corpus: " + corpus.size() + " values, " + altered.size() + " altered\n");
        perCategory.forEach((k, v) -> report.append(
                String.format("  %-10s %3d values, %d altered (%.1f %%)%n", k, v[0], v[1], 100.0 * v[1] / v[0])));
        altered.forEach(a -> report.append("  altered: ").append(a).append('\n'));
        System.out.print(report);
        assertThat(corpus).hasSizeGreaterThan(100);
        assertThat(100.0 * altered.size() / corpus.size()).as(report.toString()).isLessThanOrEqualTo(1.0);
    }
}
