package dev.veil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malformed-input table: each hostile or broken request gets a precise 4xx with the JSON error shape, the
 * message never echoes the submitted value (the canary), and the server keeps accepting valid events.
 */
class MalformedInputTest {

    private static final String CANARY = "CANARY-PATIENT-Jane-Doe-1984";
    private static TestServer veil;

    @BeforeAll
    static void start() {
        veil = new TestServer();
    }

    @AfterAll
    static void stop() {
        veil.close();
    }

    record Case(String path, byte[] body, String[] headers, int status, String code, String messagePart) {
        @Override
        public String toString() {
            return code + ": " + messagePart;
        }
    }

    static Stream<Arguments> table() throws IOException {
        return Stream.of(
                        c(
                                "/v1/track",
                                "{\"userId\":\"" + CANARY + "\",\"event\":\"E\"",
                                400,
                                "invalid_json",
                                "unexpected end of input"),
                        c("/v1/track", "{\"userId\": " + CANARY + "}", 400, "invalid_json", "invalid JSON at line 1"),
                        new Case(
                                "/v1/track",
                                invalidUtf8(),
                                new String[0],
                                400,
                                "invalid_utf8",
                                "body is not valid UTF-8"),
                        c(
                                "/v1/track",
                                "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"note\":\"" + "x".repeat(40_000)
                                        + "\"}}",
                                413,
                                "payload_too_large",
                                "message is 39.1 KB; the limit is 32 KB"),
                        c(
                                "/v1/track",
                                "{\"userId\":\"u\",\"event\":\"E\",\"properties\":" + "{\"a\":".repeat(40) + "1"
                                        + "}".repeat(40) + "}",
                                400,
                                "nesting_too_deep",
                                "nesting is deeper than 32 levels"),
                        c("/v1/track", "[".repeat(5000), 400, "nesting_too_deep", "nesting is deeper than 32"),
                        new Case(
                                "/v1/track",
                                withBytes((byte) 0xC0, (byte) 0xAF), // '/' in an overlong two-byte form
                                new String[0],
                                400,
                                "invalid_utf8",
                                "body is not valid UTF-8 at byte offset"),
                        new Case(
                                "/v1/track",
                                withBytes((byte) 0xED, (byte) 0xA0, (byte) 0x80), // a UTF-16 surrogate
                                new String[0],
                                400,
                                "invalid_utf8",
                                "body is not valid UTF-8 at byte offset"),
                        new Case(
                                "/v1/track",
                                "{\"userId\":\"u\",\"event\":\"E\"}".getBytes(StandardCharsets.UTF_16LE),
                                new String[0],
                                400,
                                "invalid_utf8",
                                "a NUL byte at offset 1 (UTF-16 or UTF-32?)"),
                        new Case(
                                "/v1/track",
                                "{\"userId\":\"u\",\"event\":\"E\"}".getBytes(StandardCharsets.UTF_16),
                                new String[0],
                                400,
                                "invalid_utf8",
                                "body is not valid UTF-8"),
                        new Case(
                                "/v1/batch",
                                "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}]}"
                                        .getBytes(Charset.forName("UTF-32BE")),
                                new String[0],
                                400,
                                "invalid_utf8",
                                "a NUL byte at offset 0"),
                        c(
                                "/v1/track",
                                "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"n\":1e999999}}",
                                400,
                                "number_out_of_range",
                                "properties.n: is a number beyond the range of a double"),
                        c(
                                "/v1/track",
                                "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"n\":-1e999999}}",
                                400,
                                "number_out_of_range",
                                "properties.n: is a number beyond the range of a double"),
                        c(
                                "/v1/track",
                                "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"n\":" + "9".repeat(5_000) + "}}",
                                400,
                                "number_too_long",
                                "a number has more than 1000 characters"),
                        c(
                                "/v1/track",
                                "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"a\":\"" + CANARY + "\",\"a\":2}}",
                                400,
                                "duplicate_key",
                                "properties.a: appears twice in the same object"),
                        c(
                                "/v1/track",
                                "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"" + "k".repeat(200) + "\":1,\""
                                        + "k".repeat(200) + "\":2}}",
                                400,
                                "duplicate_key",
                                "properties." + "k".repeat(64) + "…: appears twice"),
                        c(
                                "/v1/track",
                                "{\"userId\":\"u\",\"userId\":\"v\",\"event\":\"E\"}",
                                400,
                                "duplicate_key",
                                "userId: appears twice"),
                        c(
                                "/v1/batch",
                                "{\"batch\":[],\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\"}]}",
                                400,
                                "duplicate_key",
                                "batch: appears twice"),
                        h(
                                "/v1/track",
                                "{\"userId\":\"u\",\"event\":\"E\"}",
                                415,
                                "unsupported_media_type",
                                "Content-Type must be application/json, text/plain or application/x-www-form-urlencoded",
                                "Content-Type",
                                "multipart/form-data; boundary=x"),
                        h(
                                "/v1/track",
                                "{\"userId\":\"u\",\"event\":\"E\"}",
                                415,
                                "unsupported_encoding",
                                "Content-Encoding must be gzip or identity",
                                "Content-Encoding",
                                "br"),
                        new Case(
                                "/v1/batch",
                                IngestApiTest.gzip(new byte[64 * 1024 * 1024]),
                                new String[] {"Content-Encoding", "gzip"},
                                413,
                                "payload_too_large",
                                "gzip body inflates to more than 1 MB (stopped inflating there"),
                        h(
                                "/v1/track",
                                "not gzip at all",
                                400,
                                "invalid_gzip",
                                "body is not valid gzip",
                                "Content-Encoding",
                                "gzip"),
                        c("/v1/track", "", 400, "invalid_json", "body is empty"),
                        c("/v1/batch", "", 400, "invalid_json", "body is empty"),
                        // Found by IngestParserFuzzTest: a body of only whitespace answered 500.
                        c("/v1/track", "\n", 400, "invalid_json", "body is empty"),
                        c("/v1/identify", " \t ", 400, "invalid_json", "body is empty"),
                        c("/v1/track", "[1,2]", 400, "invalid_json", "body must be a JSON object, found an array"),
                        c(
                                "/v1/track",
                                "{\"userId\":\"u\",\"event\":{\"n\":\"" + CANARY + "\"}}",
                                400,
                                "invalid_message",
                                "event: must be a string, found an object"),
                        c(
                                "/v1/track",
                                "{\"userId\":true,\"event\":\"E\"}",
                                400,
                                "invalid_message",
                                "userId: must be a string, found a boolean"),
                        c(
                                "/v1/track",
                                "{\"userId\":\"u\",\"event\":\"E\",\"properties\":[\"" + CANARY + "\"]}",
                                400,
                                "invalid_message",
                                "properties: must be an object, found an array"),
                        c(
                                "/v1/track",
                                "{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"" + CANARY + "\"}",
                                400,
                                "invalid_message",
                                "timestamp: is not an ISO-8601 date-time"),
                        c(
                                "/v1/track",
                                "{\"event\":\"E\",\"properties\":{\"x\":\"" + CANARY + "\"}}",
                                400,
                                "invalid_message",
                                "userId: either userId or anonymousId is required"),
                        c(
                                "/v1/track",
                                "{\"userId\":\"u\"}",
                                400,
                                "invalid_message",
                                "event: is required for a track call"),
                        c(
                                "/v1/group",
                                "{\"userId\":\"u\"}",
                                400,
                                "invalid_message",
                                "groupId: is required for a group call"),
                        c(
                                "/v1/alias",
                                "{\"userId\":\"u\"}",
                                400,
                                "invalid_message",
                                "previousId: is required for an alias call"),
                        c(
                                "/v1/batch",
                                "{\"batch\":[{\"type\":\"" + CANARY + "\",\"userId\":\"u\"}]}",
                                400,
                                "invalid_batch",
                                "all 1 messages were refused"),
                        c("/v1/batch", "{\"batch\":{}}", 400, "invalid_batch", "batch: must be an array"),
                        c(
                                "/v1/batch",
                                "{\"sentAt\":\"2026-01-01T00:00:00Z\"}",
                                400,
                                "invalid_batch",
                                "batch: is required"),
                        c("/v1/batch", "{\"batch\":[]}", 400, "invalid_batch", "batch: is empty"),
                        c(
                                "/v1/batch",
                                "{\"batch\":[" + msgs(2_501, 10) + "]}",
                                413,
                                "payload_too_large",
                                "batch has 2,501 messages; the limit is 2,500"),
                        c(
                                "/v1/batch",
                                "{\"batch\":[" + msgs(30, 20_000) + "]}",
                                413,
                                "payload_too_large",
                                "batch is 587.8 KB; the limit is 500 KB"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void each_malformed_request_gets_a_precise_4xx_and_the_server_stays_healthy(Case c) {
        int before = veil.log.events().size();

        // Its own connection: the server closes the connection after refusing a body it has not read (413 on the
        // declared length), and the checks below must not depend on which pooled connection survived the case before.
        HttpResponse<String> r = veil.postOnNewConnection(c.path(), c.body(), c.headers());

        assertThat(r.statusCode()).isEqualTo(c.status());
        assertThat(r.body())
                .startsWith("{\"error\":{\"code\":\"" + c.code() + "\"")
                .contains(c.messagePart())
                .doesNotContain(CANARY);
        assertThat(veil.log.events()).hasSize(before);
        assertThat(veil.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(veil.post("/v1/track", "{\"userId\":\"u\",\"event\":\"After\"}")
                        .statusCode())
                .isEqualTo(200);
    }

    private static Case c(String path, String body, int status, String code, String part) {
        return new Case(path, body.getBytes(StandardCharsets.UTF_8), new String[0], status, code, part);
    }

    private static Case h(String path, String body, int status, String code, String part, String... headers) {
        return new Case(path, body.getBytes(StandardCharsets.UTF_8), headers, status, code, part);
    }

    /** A track call whose event name holds {@code bytes}. */
    private static byte[] withBytes(byte... bytes) {
        byte[] head = "{\"userId\":\"u\",\"event\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(head, head.length + bytes.length + tail.length);
        System.arraycopy(bytes, 0, out, head.length, bytes.length);
        System.arraycopy(tail, 0, out, head.length + bytes.length, tail.length);
        return out;
    }

    private static byte[] invalidUtf8() {
        byte[] head = "{\"userId\":\"u\",\"event\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(head, head.length + 2 + tail.length);
        out[head.length] = (byte) 0xC3; // a lead byte followed by a non-continuation byte
        out[head.length + 1] = (byte) 0x28;
        System.arraycopy(tail, 0, out, head.length + 2, tail.length);
        return out;
    }

    private static String msgs(int n, int padding) {
        String one = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"p\":\""
                + "x".repeat(padding) + "\"}}";
        return String.join(",", java.util.Collections.nCopies(n, one));
    }
}
