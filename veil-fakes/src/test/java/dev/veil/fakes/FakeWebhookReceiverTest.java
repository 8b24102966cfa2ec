package dev.veil.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeWebhookReceiverTest {

    private static final String BODY =
            "{\"batch\":[{\"messageId\":\"m1\",\"type\":\"track\",\"timestamp\":\"2026-01-01T00:00:00Z\"}]}";
    private FakeWebhookReceiver fake;

    @BeforeEach
    void start() {
        fake = FakeWebhookReceiver.start("k");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private static String sign(String secret, long t, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "t=" + t + ",v1="
                + HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    private int post(String signature, String body) throws Exception {
        return Http.post(fake.baseUrl() + "/hook", body, Map.of("X-Veil-Signature", signature))
                .statusCode();
    }

    @Test
    void accepts_a_correct_signature_and_dedups_on_message_id() throws Exception {
        long t = Instant.now().getEpochSecond();

        assertThat(post(sign("k", t, BODY), BODY)).isEqualTo(200);
        assertThat(post(sign("k", t, BODY), BODY)).isEqualTo(200);

        assertThat(fake.distinctDedupKeys()).isEqualTo(1);
        assertThat(fake.duplicates()).isEqualTo(1);
    }

    @Test
    void refuses_wrong_secret_missing_header_old_timestamp_and_bad_bodies() throws Exception {
        long t = Instant.now().getEpochSecond();

        assertThat(post(sign("other", t, BODY), BODY)).isEqualTo(401);
        assertThat(post("nonsense", BODY)).isEqualTo(401);
        assertThat(post(sign("k", t - 3600, BODY), BODY)).isEqualTo(401);
        assertThat(post(sign("k", t, "{}"), "{}")).isEqualTo(400);

        assertThat(fake.accepted()).isEmpty();
        assertThat(fake.violations())
                .containsExactly(
                        "X-Veil-Signature: does not match",
                        "X-Veil-Signature: missing or malformed",
                        "X-Veil-Signature: timestamp outside the tolerance",
                        "body: not {\"batch\":[…]}");
    }
}
