package dev.veil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Every ingest request runs on a new virtual thread, so the parser's buffers must come from a shared pool: with
 * Jackson's default thread-local pool nothing is ever handed back ({@code pooledCount} is -1) and every request
 * allocates fresh buffers.
 */
class PayloadParserPoolingTest {

    @Test
    void parsing_on_fresh_virtual_threads_hands_buffers_back_to_a_shared_pool() throws Exception {
        PayloadParser parser = new PayloadParser(32);
        byte[] single = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\"}".getBytes(StandardCharsets.UTF_8);
        byte[] batch = ("{\"batch\":[{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\"}],\"writeKey\":\"k\"}")
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 3; i++) {
            Thread t = Thread.ofVirtual().start(() -> {
                parser.parseSingle(single);
                parser.parseBatch(batch, 10);
            });
            t.join();
        }

        assertThat(parser.mapper().getFactory()._getRecyclerPool().pooledCount())
                .isPositive();
    }
}
