package dev.veil.server.demo;

import dev.veil.server.source.WriteKeys;
import dev.veil.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The demo source's write key, kept in {@code demo-write-key} (mode 0600) in the data directory so the demo
 * pages keep working across restarts. Only the demo does this: production keys come from the policy.
 */
final class DemoKey {

    static final String FILE_NAME = "demo-write-key";

    private DemoKey() {}

    static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.isDirectory(dataDir)) {
                // Same mode the store gives the data directory: it holds the master key and the event log.
                Files.createDirectories(
                        dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.exists(file)) {
                try {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, WriteKeys.generate() + "\n", StandardCharsets.UTF_8);
                } catch (FileAlreadyExistsException e) {
                    // another demo created it concurrently: use theirs
                } catch (UnsupportedOperationException e) {
                    Files.writeString(file, WriteKeys.generate() + "\n", StandardCharsets.UTF_8);
                }
            }
            String key = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (key.isEmpty()) {
                throw new StoreException("demo: " + file + " is empty; delete it to get a new key");
            }
            return key;
        } catch (IOException e) {
            throw new StoreException(
                    "demo: cannot read or create " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
