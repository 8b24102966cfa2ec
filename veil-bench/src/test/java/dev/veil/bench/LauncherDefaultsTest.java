package dev.veil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./veil} launcher's memory defaults are what keeps Veil under 512 MB of RSS under sustained load
 * (issue 11; docs/performance.md, "Native memory"): a 320 MB heap plus about 160 MB outside it, and malloc's freed
 * memory trimmed every 5 s. A launcher that grows the heap again, or drops the trim, fails here; and the bench must
 * run Veil with the same options, or its RSS figures say nothing about the launcher.
 */
class LauncherDefaultsTest {

    /** Heap budget: 512 MB minus what the process needs outside the heap (~160 MB measured, plus a margin). */
    private static final long MAX_DEFAULT_HEAP_MB = 320;

    private static final Path LAUNCHER = Path.of("..", "veil");

    @Test
    void the_launcher_bounds_the_heap_within_the_rss_budget_and_the_bench_uses_the_same_heap() throws Exception {
        String script = Files.readString(LAUNCHER);
        Matcher m = Pattern.compile("opts=\"-Xmx(\\d+)([mg]) \\$opts\"").matcher(script);
        assertThat(m.find()).as("the launcher sets a default -Xmx").isTrue();
        long mb = Long.parseLong(m.group(1)) * (m.group(2).equals("g") ? 1024 : 1);
        assertThat(mb).as("default heap in MB").isLessThanOrEqualTo(MAX_DEFAULT_HEAP_MB);
        assertThat(m.group(1) + m.group(2)).as("the bench's default --heap").isEqualTo(BenchCommand.DEFAULT_HEAP);
    }

    @Test
    void the_launcher_trims_the_native_heap_and_the_bench_passes_the_same_options() throws Exception {
        String script = Files.readString(LAUNCHER);
        Matcher m =
                Pattern.compile("trim=\"(-XX:TrimNativeHeapInterval=(\\d+))\"").matcher(script);
        assertThat(m.find()).as("the launcher sets TrimNativeHeapInterval").isTrue();
        assertThat(Long.parseLong(m.group(2))).as("trim interval in ms").isBetween(1L, 60_000L);
        assertThat(script).contains("opts=\"$trim $opts\"");
        assertThat(BenchCommand.LAUNCHER_MEMORY_OPTIONS).containsExactly(m.group(1));
    }
}
