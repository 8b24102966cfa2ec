package dev.veil.server.delivery;

import static dev.veil.server.delivery.Fixtures.destination;
import static dev.veil.server.delivery.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.veil.core.event.RawEvent;
import dev.veil.server.delivery.TestSink.Answer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class NoLeakInLogsTest {
    private static final String PHI = "Jane-Canary-Doe";
    private static final String SECRET = "s3cret";

    @TempDir
    Path dir;

    @Test
    void delivery_logs_hold_no_payload_values_or_credentials_through_retries_and_dead_letters() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger delivery = (Logger) LoggerFactory.getLogger("dev.veil.server.delivery");
        Level before = delivery.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        delivery.setLevel(Level.DEBUG);
        ManualClock clock = new ManualClock(Instant.parse("2026-11-29T05:00:00Z"));
        try (TestSink sink = new TestSink();
                EngineHarness h = new EngineHarness(dir)) {
            h.clock = clock;
            h.sleeper = clock.sleeper();
            h.settings = h.settings.withRetryWindow(Duration.ofMinutes(5));
            AtomicInteger calls = new AtomicInteger();
            sink.behave(ids -> switch (calls.incrementAndGet()) {
                case 1 -> Answer.status(503);
                case 2 -> new Answer(429, "2", "{}");
                default -> Answer.status(400);
            });
            // The credential rides in the query, as GA4's api_secret does.
            h.policy.set(policy(destination("ga", sink.url() + "?api_secret=" + SECRET)));
            RawEvent event = Fixtures.track("m1", "Signed Up");
            event.message().putObject("properties").put("patient_name", PHI);
            h.log.append(List.of(event));
            h.start();

            await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(1));
            assertThat(h.counter("veil.delivery.retried", "ga")).isEqualTo(2);
        } finally {
            root.detachAppender(captured);
            delivery.setLevel(before);
        }
        // Only Veil's own loggers: the test sink's Jetty logs its requests, queries included.
        String logs = captured.list.stream()
                .filter(e -> e.getLoggerName().startsWith("dev.veil"))
                .map(e -> e.getFormattedMessage() + " "
                        + (e.getThrowableProxy() == null
                                ? ""
                                : e.getThrowableProxy().getMessage()))
                .collect(Collectors.joining("\n"));
        assertThat(logs).contains("retrying").contains("ga");
        assertThat(logs).doesNotContain(PHI).doesNotContain(SECRET).doesNotContain("Bearer");
    }
}
