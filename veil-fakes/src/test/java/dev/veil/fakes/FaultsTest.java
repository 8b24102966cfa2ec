package dev.veil.fakes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultsTest {

    private static final String VALID = "{\"client_id\":\"c1\",\"events\":[{\"name\":\"sign_up\"}]}";
    private FakeGa4 fake;
    private String url;

    @BeforeEach
    void start() {
        fake = FakeGa4.start("G-T", "sec");
        url = fake.baseUrl() + "/mp/collect?measurement_id=G-T&api_secret=sec";
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void fails_the_next_n_requests_then_answers_normally() throws Exception {
        fake.faults().failNext(2, Fault.status(503));

        assertThat(Http.post(url, VALID).statusCode()).isEqualTo(503);
        assertThat(Http.post(url, VALID).statusCode()).isEqualTo(503);
        assertThat(Http.post(url, VALID).statusCode()).isEqualTo(204);
        assertThat(fake.accepted()).hasSize(1);
        assertThat(fake.requests()).hasSize(3);
    }

    @Test
    void sends_retry_after_with_429() throws Exception {
        fake.faults().failNext(1, Fault.tooManyRequests(Duration.ofSeconds(9)));

        var response = Http.post(url, VALID);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).contains("9");
    }

    @Test
    void fails_every_kth_request() throws Exception {
        fake.faults().failEvery(3, Fault.status(500));

        int[] statuses = new int[6];
        for (int i = 0; i < 6; i++) {
            statuses[i] = Http.post(url, VALID).statusCode();
        }

        assertThat(statuses).containsExactly(204, 204, 500, 204, 204, 500);
    }

    @Test
    void fails_for_a_duration_then_recovers() throws Exception {
        // Long enough for a first request on a loaded machine to arrive within it.
        fake.faults().failFor(Duration.ofSeconds(3), Fault.status(502));

        assertThat(Http.post(url, VALID).statusCode()).isEqualTo(502);
        Thread.sleep(3100);
        assertThat(Http.post(url, VALID).statusCode()).isEqualTo(204);
    }

    @Test
    void hangs_until_the_client_times_out() {
        fake.faults().failNext(1, Fault.hang(Duration.ofSeconds(5)));

        assertThatThrownBy(() -> Http.post(url, VALID, Map.of(), Duration.ofMillis(300)))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(fake.accepted()).isEmpty();
    }

    @Test
    void resets_the_connection() {
        fake.faults().failNext(1, Fault.reset());

        assertThatThrownBy(() -> Http.post(url, VALID)).isInstanceOf(IOException.class);
        assertThat(fake.accepted()).isEmpty();
    }

    @Test
    void an_answer_lost_after_processing_keeps_the_events_but_the_client_sees_a_failure() {
        fake.faults().failNext(1, Fault.answerLost());

        assertThatThrownBy(() -> Http.post(url, VALID)).isInstanceOf(IOException.class);
        assertThat(fake.accepted()).as("the vendor processed the request").hasSize(1);
    }

    @Test
    void slow_responses_still_process_the_request() throws Exception {
        fake.faults().failNext(1, Fault.slow(Duration.ofMillis(200)));

        assertThat(Http.post(url, VALID).statusCode()).isEqualTo(204);
        assertThat(fake.accepted()).hasSize(1);
    }

    @Test
    void await_accepted_returns_once_events_arrive_and_fails_with_the_count_otherwise() throws Exception {
        Thread sender = new Thread(() -> {
            try {
                Http.post(url, VALID);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sender.start();

        assertThat(fake.awaitAccepted(1, Duration.ofSeconds(10))).hasSize(1);
        sender.join();
        assertThatThrownBy(() -> fake.awaitAccepted(2, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected at least 2 accepted events; the fake has 1");
    }

    @Test
    void clear_removes_every_scripted_fault() throws Exception {
        fake.faults()
                .failNext(3, Fault.status(503))
                .failEvery(1, Fault.status(500))
                .clear();

        assertThat(Http.post(url, VALID).statusCode()).isEqualTo(204);
    }
}
