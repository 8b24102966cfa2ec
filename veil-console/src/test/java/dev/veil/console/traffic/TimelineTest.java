package dev.veil.console.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.console.web.BarChart;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Overview's per-minute counts from samples of running totals, and the charts drawn from them. */
class TimelineTest {

    private static final Instant M0 = Instant.parse("2026-12-02T10:00:00Z");

    private static Timeline.Counts events(long n) {
        return new Timeline.Counts(n, n / 2, 0, 0);
    }

    @Test
    void each_minute_counts_what_its_last_sample_added_to_the_one_before() {
        Timeline t = new Timeline();
        t.sample(M0.plusSeconds(5), events(2));
        t.sample(M0.plusSeconds(55), events(5)); // the last sample of minute 0 wins
        t.sample(M0.plusSeconds(70), events(12));
        t.sample(M0.plusSeconds(190), events(20)); // minute 2 had no sample: its events count in minute 3

        List<Timeline.Minute> minutes = t.lastMinutes(M0.plusSeconds(200), 4);

        assertThat(minutes).extracting(m -> m.counts().events()).containsExactly(5L, 7L, 0L, 8L);
        assertThat(minutes.getFirst().start()).isEqualTo(M0);
        assertThat(t.totals().events()).isEqualTo(20);
    }

    @Test
    void charts_scale_bars_to_the_peak_and_keep_every_count_for_the_table() {
        Timeline t = new Timeline();
        t.sample(M0.plusSeconds(10), events(4));
        t.sample(M0.plusSeconds(70), events(6));
        BarChart chart =
                BarChart.perMinute("e", "Events", t.lastMinutes(M0.plusSeconds(70), 2), Timeline.Counts::events);

        assertThat(chart.bars()).extracting(BarChart.Bar::value).containsExactly(4L, 2L);
        assertThat(chart.bars().get(0).h()).isGreaterThan(chart.bars().get(1).h());
        assertThat(chart.peak()).isEqualTo(4);
        assertThat(chart.total()).isEqualTo(6);

        BarChart none =
                BarChart.perMinute("f", "Failures", t.lastMinutes(M0.plusSeconds(70), 2), Timeline.Counts::failed);
        assertThat(none.peak()).isZero();
        assertThat(none.bars()).allSatisfy(b -> assertThat(b.h()).isZero());

        BarChart phi = BarChart.byName("phi", "PHI", Map.of("email", 3L));
        assertThat(phi.bars())
                .singleElement()
                .satisfies(b -> assertThat(b.label()).isEqualTo("email"));
    }
}
