package dev.veil.fakes;

import java.util.Map;

/** What a fake answers to one request. */
record Reply(int status, String body, Map<String, String> headers) {
    Reply {
        headers = Map.copyOf(headers);
    }

    static Reply json(int status, String body) {
        return new Reply(status, body, Map.of("Content-Type", "application/json"));
    }
}
