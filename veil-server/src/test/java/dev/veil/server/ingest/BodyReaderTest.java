package dev.veil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyReaderTest {

    private final BodyReader reader = new BodyReader(1_000);

    /** A body stream that fails if it is read again after it said it had ended. */
    private static InputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                if (n < 0) {
                    throw new AssertionError("read past the end of a body of known length");
                }
                return n;
            }
        };
    }

    @Test
    void reads_a_body_of_known_length_whole_without_reading_past_it() throws IOException {
        assertThat(reader.read(body("{\"a\":1}"), null, "7", 100, "message"))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("{\"a\":1}");
    }

    @Test
    void reads_a_body_of_unknown_length_to_its_end() throws IOException {
        assertThat(reader.read(new ByteArrayInputStream(new byte[42]), null, null, 100, "message"))
                .hasSize(42);
        assertThatThrownBy(() -> reader.read(new ByteArrayInputStream(new byte[101]), null, null, 100, "batch"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("batch is more than");
    }

    @Test
    void refuses_a_declared_length_over_the_limit_before_reading() {
        assertThatThrownBy(() -> reader.read(body("x"), null, "101", 100, "message"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("the limit is");
    }
}
