package dev.veil.console;

import dev.veil.console.ops.OpsAreas;
import dev.veil.console.pages.DraftsArea;
import dev.veil.console.pages.MatrixArea;
import dev.veil.console.pages.OverviewArea;
import dev.veil.console.pages.SignInArea;
import dev.veil.console.web.ConsoleArea;
import java.util.List;

/** Every area of the console, one line each (navigation order is each area's own {@code nav} order). */
final class ConsoleAreas {

    private ConsoleAreas() {}

    static List<ConsoleArea> all(ConsoleParts parts) {
        return List.of(
                new SignInArea(parts),
                new OverviewArea(parts),
                new MatrixArea(parts),
                new DraftsArea(parts),
                new OpsAreas(parts));
    }
}
