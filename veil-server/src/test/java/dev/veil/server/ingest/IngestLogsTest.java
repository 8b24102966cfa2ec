package dev.veil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.veil.server.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Payloads, IPs, user agents and write keys never reach the logs, whether a request succeeds or fails. */
class IngestLogsTest {

    private static final String CANARY = "PHI-CANARY-555-12-3456";

    @Test
    void no_log_line_contains_payload_values_ips_user_agents_or_write_keys() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try (TestServer veil = new TestServer(TestServer.trustingLocalhost(), java.time.Clock.systemUTC())) {
            String[] headers = {"User-Agent", "UA-" + CANARY, "X-Forwarded-For", "203.0.113.77"};
            veil.post("/v1/track", "{\"userId\":\"" + CANARY + "\",\"event\":\"E\"}", headers);
            veil.post("/v1/track", "{\"userId\":\"" + CANARY + "\"}", headers);
            veil.post("/v1/track", "{\"userId\":\"" + CANARY + "\",", headers);
            veil.post("/v1/track", "{\"writeKey\":\"" + CANARY + "\"}", "Authorization", "-");
            veil.post("/v1/batch", "{\"batch\":[{\"type\":\"" + CANARY + "\"}]}", headers);
            veil.log.failAppends(true);
            veil.post("/v1/track", "{\"userId\":\"" + CANARY + "\",\"event\":\"E\"}", headers);
            veil.get("/readyz");

            assertThat(veil.log.events()).hasSize(1);
            assertThat(veil.log.events().get(0).clientIp()).isEqualTo("203.0.113.77");
        } finally {
            root.detachAppender(captured);
        }

        List<String> lines = captured.list.stream()
                .map(e -> e.getFormattedMessage()
                        + (e.getThrowableProxy() == null
                                ? ""
                                : e.getThrowableProxy().getMessage()))
                .toList();
        assertThat(lines)
                .isNotEmpty()
                .noneMatch(l -> l.contains(CANARY) || l.contains("203.0.113.77") || l.contains(TestServer.WRITE_KEY));
    }
}
