package dev.veil.server.demo;

import dev.veil.api.EventType;
import dev.veil.server.ingest.IngestStats;

/** The console stub: one server-rendered page with counts only (never event contents); it refreshes itself. */
final class ConsolePage {

    private ConsolePage() {}

    static String render(IngestStats.Snapshot s) {
        StringBuilder rows = new StringBuilder();
        for (EventType t : EventType.values()) {
            rows.append("<tr><td>")
                    .append(t.wireName())
                    .append("</td><td>")
                    .append(s.acceptedByType().getOrDefault(t, 0L))
                    .append("</td></tr>\n");
        }
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
                <title>Veil console</title><link rel="stylesheet" href="/demo.css"></head>
                <body><main><h1>Veil console</h1>
                <p>Events received since start (counts only; Veil never shows event contents here).</p>
                <table><tr><th>type</th><th>accepted</th></tr>
                %s<tr><td><b>total</b></td><td id="accepted"><b>%d</b></td></tr></table>
                <p>Duplicates dropped: <span id="duplicates">%d</span> &middot;
                Refused: <span id="rejected">%d</span></p>
                <p><a href="/">Back to the demo site</a></p>
                </main></body></html>
                """.formatted(rows, s.accepted(), s.duplicates(), s.rejected());
    }
}
