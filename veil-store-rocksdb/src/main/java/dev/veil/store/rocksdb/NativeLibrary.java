package dev.veil.store.rocksdb;

import dev.veil.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's JNI library once per process, from a copy in a private directory of the data directory.
 *
 * <p>Why not RocksDB's own loader: it unpacks the 15 MB library to a new random file in {@code java.io.tmpdir} at
 * every start and deletes it only on a normal JVM exit, so every {@code kill -9} or OOM kill leaves one behind (this
 * module's crash tests left 30 in an afternoon), and it fails where {@code /tmp} is mounted {@code noexec}. Here the
 * library is copied (write to a temporary file, then an atomic rename; skipped when the copy there is identical) to
 * {@code <dataDir>/native/}, a directory of mode 0700 inside the 0700 data directory, so no other user can plant a
 * library there, and loaded from it. If that fails (e.g. the data directory is on a {@code noexec} mount), RocksDB's
 * own loader is used.
 */
final class NativeLibrary {

    private static final Logger LOG = LoggerFactory.getLogger(NativeLibrary.class);

    private static boolean loaded;

    private NativeLibrary() {}

    /** Loads the library unless already loaded; {@code nativeDir} is created 0700 if needed. */
    static synchronized void load(Path nativeDir, Path logDir) {
        if (loaded) {
            return;
        }
        // The jar holds librocksdbjni-linux64.so (getJniLibraryFileName("rocksdb")); loadLibrary(paths) looks for
        // getJniLibraryFileName("rocksdbjni") in each path (librocksdbjnijni-linux64.so in 10.10), so the copy is
        // given the name it looks for.
        String resource = Environment.getJniLibraryFileName("rocksdb");
        String name = Environment.getJniLibraryFileName("rocksdbjni");
        try {
            copy(resource, nativeDir.resolve(name));
            RocksDB.loadLibrary(List.of(nativeDir.toString()));
            loaded = true;
            return;
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.warn(
                    "event log: cannot load RocksDB's library from {} ({}); unpacking it to java.io.tmpdir instead",
                    nativeDir,
                    e.getClass().getSimpleName());
        }
        try {
            RocksDB.loadLibrary();
            loaded = true;
        } catch (RuntimeException | LinkageError e) {
            throw new StoreException(
                    "open event log " + logDir + ": the RocksDB native library cannot be loaded on "
                            + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                            + " (eventLog: rocksdb needs x86-64 or aarch64 Linux with glibc, and a data directory or"
                            + " java.io.tmpdir that is not mounted noexec): "
                            + e.getClass().getSimpleName() + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** Copies the class path's {@code resource} to {@code target} unless an identical copy is there. */
    private static void copy(String resource, Path target) throws IOException {
        Path dir = target.getParent();
        RocksDatabase.createPrivateDirectory(dir);
        String name = target.getFileName().toString();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path tmp = posix
                ? Files.createTempFile(
                        dir,
                        name,
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, name, ".tmp");
        try {
            byte[] digest;
            try (InputStream from = RocksDB.class.getClassLoader().getResourceAsStream(resource)) {
                if (from == null) {
                    throw new IOException("no " + resource + " on the class path");
                }
                DigestInputStream in = new DigestInputStream(from, sha256());
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    in.transferTo(out);
                }
                digest = in.getMessageDigest().digest();
            }
            if (Files.isRegularFile(target) && Arrays.equals(digest, digestOf(target))) {
                return;
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] digestOf(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
            in.transferTo(OutputStream.nullOutputStream());
            return in.getMessageDigest().digest();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
