package dev.veil.console.pages;

import static dev.veil.console.web.ConsoleRoutes.params;

import dev.veil.admin.auth.Permission;
import dev.veil.admin.resources.DeliveryControl;
import dev.veil.console.ConsoleParts;
import dev.veil.console.traffic.Timeline;
import dev.veil.console.web.BarChart;
import dev.veil.console.web.ConsoleArea;
import dev.veil.console.web.ConsoleRequest;
import dev.veil.console.web.ConsoleRoutes;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Overview ({@value ConsoleRoutes#BASE}): events per minute, deliveries, failures, dead letters and PHI
 * detections by detector, as server-drawn SVG charts, plus each destination's state. Counts only; every role.
 */
public final class OverviewArea implements ConsoleArea {

    static final int MINUTES = 60;

    private final ConsoleParts parts;

    public OverviewArea(ConsoleParts parts) {
        this.parts = parts;
    }

    @Override
    public void register(ConsoleRoutes routes) {
        routes.nav("overview", "Overview", ConsoleRoutes.BASE, Permission.VIEW_CONFIG, 10)
                .page(ConsoleRoutes.BASE, Permission.VIEW_CONFIG, this::overview);
    }

    private void overview(ConsoleRequest r) {
        Instant now = parts.clock().instant();
        List<Timeline.Minute> minutes = parts.timeline().lastMinutes(now, MINUTES);
        Timeline.Counts totals = parts.timeline().totals();
        List<DeliveryControl.DestinationStatus> status =
                parts.services().delivery().status();
        long deadLetters = status.stream()
                .mapToLong(DeliveryControl.DestinationStatus::deadLetters)
                .sum();
        Map<String, Long> phi = parts.phi().snapshot();
        r.render(
                "overview.jte",
                params(
                        "chrome", r.chrome("overview", "Overview"),
                        "totals", totals,
                        "deadLetters", deadLetters,
                        "phiTotal",
                                phi.values().stream().mapToLong(Long::longValue).sum(),
                        "events",
                                BarChart.perMinute(
                                        "events", "Events accepted per minute", minutes, Timeline.Counts::events),
                        "delivered",
                                BarChart.perMinute(
                                        "delivered",
                                        "Events delivered per minute",
                                        minutes,
                                        Timeline.Counts::delivered),
                        "failed",
                                BarChart.perMinute(
                                        "failed",
                                        "Failed delivery attempts and dead letters per minute",
                                        minutes,
                                        c -> c.failed() + c.deadLettered()),
                        "phi", BarChart.byName("phi", "PHI detections by detector (since start)", phi),
                        "status", status));
    }
}
