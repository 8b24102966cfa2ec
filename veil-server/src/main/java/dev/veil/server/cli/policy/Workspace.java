package dev.veil.server.cli.policy;

import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteConfigStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the data directory's config store with its master key for one command. */
final class Workspace {

    /** The data directory used when {@code --data-dir} is not given. */
    static final String DEFAULT_DATA_DIR = "./veil-data";

    private Workspace() {}

    /**
     * Opens the store of an existing workspace; reading commands never create one, so a mistyped
     * {@code --data-dir} is an error rather than a fresh empty workspace and a new master key.
     */
    static SqliteConfigStore openExisting(Path dataDir) {
        if (!Files.isRegularFile(dataDir.resolve(SqliteConfigStore.FILE_NAME))) {
            throw CliFailure.invalid("no Veil workspace in " + dataDir + " (" + SqliteConfigStore.FILE_NAME
                    + " not found); pass --data-dir");
        }
        return open(dataDir);
    }

    /** Opens the store, creating the data directory, master key file and store when absent. */
    static SqliteConfigStore open(Path dataDir) {
        return SqliteConfigStore.open(dataDir, MasterKey.load(dataDir));
    }
}
