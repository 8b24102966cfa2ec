package dev.veil.store.sqlite;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, small file system (tmpfs of a few MB) that tests fill up to get a true disk-full ({@code ENOSPC} →
 * {@code SQLITE_FULL}) and then free again. Mounting needs root (or CAP_SYS_ADMIN); {@link #mount} says whether
 * the machine allows it. Public for the other event log backends' disk-full tests.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path dir;
    private final Path filler;

    private SmallDisk(Path dir) {
        this.dir = dir;
        this.filler = dir.resolve("filler.bin");
    }

    /** Mounts a tmpfs of {@code megabytes} at {@code dir} (an existing empty directory); null if not permitted. */
    public static SmallDisk mount(Path dir, int megabytes) throws IOException, InterruptedException {
        int rc = run(
                List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700", "tmpfs", dir.toString()));
        return rc == 0 ? new SmallDisk(dir) : null;
    }

    public Path dir() {
        return dir;
    }

    /** Writes a filler file until the file system refuses more bytes. */
    public void fill() throws IOException {
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
    }

    /** Gives the space of the filler back. */
    public void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        free();
        run(List.of("umount", "-l", dir.toString()));
    }

    private static int run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
