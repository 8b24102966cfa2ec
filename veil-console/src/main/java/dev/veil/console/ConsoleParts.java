package dev.veil.console;

import dev.veil.admin.AdminServices;
import dev.veil.console.traffic.PhiCounts;
import dev.veil.console.traffic.RecentEvents;
import dev.veil.console.traffic.Timeline;
import dev.veil.console.traffic.TrafficRecorder;
import dev.veil.store.DictionaryStore;
import java.time.Clock;

/**
 * What the console's areas work with: the admin services (auth, policies, drafts, sources, destinations, users,
 * tokens, audit, delivery control), the data dictionary, what delivery did recently, and a clock.
 *
 * @param services the admin services (the one implementation of every rule: roles, two-person approval, audit)
 * @param dictionary names, types and counts learned from traffic, and release counts per destination
 * @param recent the live debugger's in-memory ring of recent events (raw: privacy officers only)
 * @param phi PHI scanner redactions by detector
 * @param traffic the recorder (for its skipped-batch count)
 * @param timeline per-minute counts for the Overview
 * @param clock the clock
 */
public record ConsoleParts(
        AdminServices services,
        DictionaryStore dictionary,
        RecentEvents recent,
        PhiCounts phi,
        TrafficRecorder traffic,
        Timeline timeline,
        Clock clock) {}
