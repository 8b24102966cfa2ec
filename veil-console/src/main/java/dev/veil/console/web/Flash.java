package dev.veil.console.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Messages carried from a form action to the page it redirects to ("Saved to draft 3"), per session, in memory
 * only. Bounded: past {@value #MAX_SESSIONS} sessions with unread messages, new ones are dropped (a message is a
 * courtesy; the page itself shows the state). Thread-safe.
 */
final class Flash {

    private static final int MAX_SESSIONS = 10_000;

    private final Map<String, List<Chrome.Notice>> bySession = new ConcurrentHashMap<>();

    void add(String session, Chrome.Notice notice) {
        if (bySession.size() >= MAX_SESSIONS && !bySession.containsKey(session)) {
            return;
        }
        bySession.computeIfAbsent(session, s -> new ArrayList<>()).add(notice);
    }

    List<Chrome.Notice> take(String session) {
        List<Chrome.Notice> n = bySession.remove(session);
        return n == null ? List.of() : n;
    }
}
