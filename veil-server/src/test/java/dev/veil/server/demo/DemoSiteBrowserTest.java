package dev.veil.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import dev.veil.server.VeilServer;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.ingest.IngestStats;
import dev.veil.server.source.Source;
import dev.veil.server.source.StaticSourceRegistry;
import dev.veil.server.testing.Chromium;
import dev.veil.server.testing.TestEventLog;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The demo pages, opened in Debian's Chromium, send page and track calls through the browser SDK to Veil. */
class DemoSiteBrowserTest {

    private static final String KEY = "demo-browser-key";

    @Test
    void demo_pages_send_page_views_and_the_booking_form_sends_only_the_service_line() {
        Chromium.require(); // before the server starts: a missing browser fails (or skips on request) at once
        try (TestEventLog log = new TestEventLog()) {
            run(log);
        }
    }

    private static void run(TestEventLog log) {
        AtomicReference<IngestStats> stats = new AtomicReference<>();
        try (VeilServer server = startServer(log, stats);
                Playwright pw = Chromium.playwright();
                Browser browser = Chromium.launch(pw)) {
            String base = "http://localhost:" + server.port();
            Page page = browser.newPage();

            page.navigate(base + "/");
            await().atMost(Duration.ofSeconds(20)).until(() -> has(log, EventType.PAGE, null));

            page.navigate(base + "/book.html");
            page.fill("#name", "Jane Doe");
            page.fill("#email", "jane@example.org");
            page.fill("#dob", "1980-02-03");
            page.selectOption("#service", "dermatology");
            page.click("button[type=submit]");
            await().atMost(Duration.ofSeconds(20)).until(() -> has(log, EventType.TRACK, "Appointment Booked"));
            assertThat(page.isVisible("#done")).isTrue();
        }
        assertThat(log.events())
                .filteredOn(e -> e.type() == EventType.PAGE)
                .extracting(e -> e.message().at("/context/page/path").asText())
                .containsExactly("/", "/book.html");
        RawEvent booked = log.events().stream()
                .filter(e -> e.type() == EventType.TRACK
                        && e.message().path("event").asText().equals("Appointment Booked"))
                .findFirst()
                .orElseThrow();
        assertThat(booked.sourceId()).isEqualTo("demo-site");
        // The one property (the service line) and nothing else.
        assertThat(booked.message().path("properties").size()).isEqualTo(1);
        assertThat(booked.message().at("/properties/service_line").asText()).isEqualTo("dermatology");
        assertThat(booked.message().at("/context/library/name").asText()).isEqualTo("veil-sdk-js");
        // The form's values (PHI) never leave the browser, in no event.
        assertThat(log.events())
                .extracting(e -> e.message().toString())
                .allSatisfy(m -> assertThat(m)
                        .doesNotContain("Jane Doe")
                        .doesNotContain("jane@example.org")
                        .doesNotContain("1980-02-03")
                        .doesNotContain("98354"));
        assertThat(booked.message().at("/context/page/path").asText()).isEqualTo("/book.html");
        assertThat(booked.userAgent()).contains("Chrome");
        assertThat(booked.message().has("writeKey")).isFalse();
    }

    private static boolean has(TestEventLog log, EventType type, String event) {
        return log.events().stream()
                .anyMatch(e -> e.type() == type
                        && (event == null
                                || event.equals(e.message().path("event").asText())));
    }

    private static VeilServer startServer(TestEventLog log, AtomicReference<IngestStats> stats) {
        // The port is only known after start, so allow the origin of any localhost port for this test.
        StaticSourceRegistry sources =
                new StaticSourceRegistry().add(new Source("demo-site", "Demo", List.of("*")), KEY);
        VeilServer server = VeilServer.start(
                ServerConfig.defaults().withEphemeralPorts(),
                sources,
                log,
                Clock.systemUTC(),
                List.of(DemoSite.extension(KEY)));
        stats.set(server.stats());
        return server;
    }
}
