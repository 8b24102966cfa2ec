package dev.veil.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.DictionaryStore;
import dev.veil.store.DictionaryStoreContract;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class SqliteDictionaryStoreTest extends DictionaryStoreContract {

    @Override
    protected DictionaryStore open(Path dir) {
        return SqliteDictionaryStore.open(dir);
    }

    @Test
    void keeps_the_file_private_to_its_owner() throws Exception {
        open().close();
        assertThat(PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(dir.resolve(SqliteDictionaryStore.FILE_NAME))))
                .isEqualTo("rw-------");
    }
}
