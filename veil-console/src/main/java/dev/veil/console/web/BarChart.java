package dev.veil.console.web;

import dev.veil.console.traffic.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A small bar chart drawn by the server as SVG (the {@code chart.jte} template): geometry computed here, labels
 * escaped by JTE, no script and no third-party library. Each chart also renders its numbers as a table for screen
 * readers and for reading without the picture.
 *
 * @param id element id prefix
 * @param title what it shows
 * @param width view box width
 * @param height view box height
 * @param bars the bars
 * @param max the largest value (the scale's top)
 * @param axisStart label under the first bar (time charts), empty otherwise
 * @param axisEnd label under the last bar
 */
public record BarChart(
        String id, String title, int width, int height, List<Bar> bars, long max, String axisStart, String axisEnd) {

    public BarChart {
        bars = List.copyOf(bars);
    }

    /**
     * One bar.
     *
     * @param x left edge
     * @param y top edge
     * @param w width
     * @param h height
     * @param label what it counts (a minute, a detector)
     * @param value the count
     * @param labelX where a horizontal chart writes its label and value
     * @param labelY likewise
     */
    public record Bar(double x, double y, double w, double h, String label, long value, double labelX, double labelY) {}

    /** The largest count shown (0 when all are 0; {@link #max} is the scale, at least 1). */
    public long peak() {
        return bars.stream().mapToLong(Bar::value).max().orElse(0);
    }

    public long total() {
        return bars.stream().mapToLong(Bar::value).sum();
    }

    static final int TIME_WIDTH = 600;
    static final int TIME_HEIGHT = 120;

    /** Vertical bars, one per minute, oldest on the left. */
    public static BarChart perMinute(
            String id, String title, List<Timeline.Minute> minutes, ToLongFunction<Timeline.Counts> value) {
        long max = Math.max(
                1,
                minutes.stream()
                        .mapToLong(m -> value.applyAsLong(m.counts()))
                        .max()
                        .orElse(1));
        double slot = (double) TIME_WIDTH / Math.max(1, minutes.size());
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < minutes.size(); i++) {
            Timeline.Minute m = minutes.get(i);
            long v = value.applyAsLong(m.counts());
            double h = v == 0 ? 0 : Math.max(1, (double) v / max * (TIME_HEIGHT - 4));
            String label = Links.time(m.start()).substring(11);
            bars.add(new Bar(
                    round(i * slot + 1),
                    round(TIME_HEIGHT - h),
                    round(Math.max(1, slot - 2)),
                    round(h),
                    label,
                    v,
                    0,
                    0));
        }
        String start =
                minutes.isEmpty() ? "" : Links.time(minutes.getFirst().start()).substring(11);
        String end =
                minutes.isEmpty() ? "" : Links.time(minutes.getLast().start()).substring(11);
        return new BarChart(id, title, TIME_WIDTH, TIME_HEIGHT, bars, max, start, end);
    }

    static final int ROW = 22;
    static final int LABEL_WIDTH = 170;

    /** Horizontal bars, one per name (e.g. PHI detections by detector). */
    public static BarChart byName(String id, String title, Map<String, Long> values) {
        long max = Math.max(
                1, values.values().stream().mapToLong(Long::longValue).max().orElse(1));
        int barSpace = TIME_WIDTH - LABEL_WIDTH - 80;
        List<Bar> bars = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Long> e : values.entrySet()) {
            double w = e.getValue() == 0 ? 0 : Math.max(1, (double) e.getValue() / max * barSpace);
            double y = i * ROW + 3;
            bars.add(new Bar(
                    LABEL_WIDTH,
                    y,
                    round(w),
                    ROW - 6,
                    e.getKey(),
                    e.getValue(),
                    LABEL_WIDTH + round(w) + 6,
                    y + ROW - 9));
            i++;
        }
        return new BarChart(id, title, TIME_WIDTH, Math.max(ROW, i * ROW), bars, max, "", "");
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
