package dev.veil.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.veil.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A disk-full episode refuses every append; the log gets the first failure and then a summary per interval, not
 * a line per request (issue 11 saw 20,549 lines). The count stays exact in the metric.
 */
class FailureLogTest {

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger veilServerLog = (Logger) LoggerFactory.getLogger(VeilServer.class);

    @BeforeEach
    void capture() {
        captured.start();
        veilServerLog.addAppender(captured);
    }

    @AfterEach
    void release() {
        veilServerLog.detachAppender(captured);
    }

    private List<String> lines(Level level) {
        return captured.list.stream()
                .filter(e -> e.getLevel() == level)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void a_burst_of_refused_appends_logs_one_error_and_counts_every_request() {
        try (TestServer veil = new TestServer()) {
            veil.log.failAppends(true);
            for (int i = 0; i < 40; i++) {
                assertThat(veil.post("/v1/track", "{\"userId\":\"u\",\"event\":\"E\"}")
                                .statusCode())
                        .isEqualTo(503);
            }
            assertThat(lines(Level.ERROR))
                    .as("one line for the episode's first failure, not one per request")
                    .hasSize(1)
                    .first()
                    .asString()
                    .contains("ingest: event log append failed")
                    .contains("disk unavailable (test)");
            assertThat(veil.getManagement("/metrics").body()).contains("veil_ingest_store_unavailable_total 40.0");
        }
        assertThat(lines(Level.ERROR))
                .as("closing the server summarizes what was not logged")
                .hasSize(2)
                .last()
                .asString()
                .contains("failed 39 more times in the last 60 s");
    }

    @Test
    void summaries_per_interval_then_the_end_of_the_episode_then_a_new_episode_logs_at_once() {
        Logger log = (Logger) LoggerFactory.getLogger("failure-log-test");
        ListAppender<ILoggingEvent> own = new ListAppender<>();
        own.start();
        log.addAppender(own);
        try (FailureLog failures = FailureLog.manual(log, "append", Duration.ofSeconds(30))) {
            for (int i = 0; i < 20_000; i++) {
                failures.failed("SQLITE_FULL");
            }
            failures.summarize();
            failures.failed("SQLITE_FULL");
            failures.summarize();
            failures.summarize(); // an interval without a failure: the episode ended
            failures.summarize(); // nothing more to say
            failures.failed("SQLITE_IOERR");
        } finally {
            log.detachAppender(own);
        }
        assertThat(own.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()))
                .containsExactly(
                        "ERROR append failed: SQLITE_FULL (further failures are summarized every 30 s)",
                        "ERROR append failed 19999 more times in the last 30 s; last: SQLITE_FULL",
                        "ERROR append failed 1 more times in the last 30 s; last: SQLITE_FULL",
                        "INFO append: no failure in the last 30 s",
                        "ERROR append failed: SQLITE_IOERR (further failures are summarized every 30 s)",
                        "INFO append: no failure in the last 30 s");
    }
}
