package dev.veil.fakes;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** One injected misbehaviour of a fake vendor server, applied to a request instead of (or before) the real answer. */
public sealed interface Fault {

    /**
     * Answers with a fixed status and body instead of processing the request.
     *
     * @param retryAfter sent as {@code Retry-After} (whole seconds) when not null
     */
    record Respond(int status, String body, @Nullable Duration retryAfter) implements Fault {
        public Respond {
            Objects.requireNonNull(body, "body");
        }
    }

    /** Holds the request without answering for {@code duration} (client timeouts), then drops the connection. */
    record Hang(Duration duration) implements Fault {}

    /** Resets the TCP connection (RST) without any answer. */
    record Reset() implements Fault {}

    /** Waits {@code delay}, then processes the request normally. */
    record Slow(Duration delay) implements Fault {}

    /**
     * The vendor processes the request normally (accepted events are recorded, as the real vendor would keep them),
     * then the answer is lost: the connection is reset before any byte of the response, so the client sees a
     * failure and retries. Only the vendor's dedup key ({@code $insert_id}, {@code insert_id}, {@code event_id})
     * then keeps the vendor from counting the events twice.
     */
    record AnswerLost() implements Fault {}

    /** A bare status with a small JSON body, e.g. {@code status(503)}. */
    static Fault status(int status) {
        return new Respond(status, "{\"error\":\"injected " + status + "\"}", null);
    }

    /** 429 Too Many Requests with a {@code Retry-After} header. */
    static Fault tooManyRequests(Duration retryAfter) {
        return new Respond(429, "{\"error\":\"rate limited\"}", retryAfter);
    }

    /** A full custom answer, e.g. TikTok's rate-limit code inside an HTTP 200. */
    static Fault respond(int status, String body) {
        return new Respond(status, body, null);
    }

    static Fault hang(Duration duration) {
        return new Hang(duration);
    }

    static Fault reset() {
        return new Reset();
    }

    static Fault slow(Duration delay) {
        return new Slow(delay);
    }

    /** Processed, then the answer is lost in transit (see {@link AnswerLost}). */
    static Fault answerLost() {
        return new AnswerLost();
    }
}
