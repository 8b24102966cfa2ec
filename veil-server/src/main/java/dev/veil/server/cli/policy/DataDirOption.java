package dev.veil.server.cli.policy;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data-dir} option shared by the commands that work on a Veil workspace (a picocli mixin). */
final class DataDirOption {

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Data directory (default: ${DEFAULT-VALUE}).",
            defaultValue = Workspace.DEFAULT_DATA_DIR)
    Path dataDir;
}
