package dev.veil.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * The 32-byte root secret every at-rest key is derived from (HKDF per purpose). It comes from the environment
 * variable {@code VEIL_MASTER_KEY} (base64) or from {@code master.key} in the data directory, which is created
 * with mode 0600 on first start. Immutable; {@link #toString()} never shows the key.
 *
 * <p>Losing the key makes the stored events, dead letters and masking secrets unreadable; that is the point.
 */
public final class MasterKey {

    /** Environment variable holding the base64 key; when set, the key file is neither read nor created. */
    public static final String ENV_VAR = "VEIL_MASTER_KEY";

    /** File name of the generated key inside the data directory. */
    public static final String FILE_NAME = "master.key";

    /** Key length in bytes. */
    public static final int LENGTH = 32;

    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private final byte[] key;
    private final String source;

    private MasterKey(byte[] key, String source) {
        if (key.length != LENGTH) {
            throw new StoreException(
                    "master key from " + source + ": expected " + LENGTH + " bytes, found " + key.length);
        }
        this.key = key.clone();
        this.source = source;
    }

    /** A key from raw bytes (tests, or a key management system). */
    public static MasterKey of(byte[] key) {
        return new MasterKey(key, "bytes");
    }

    /** A fresh random key that is never stored (tests). */
    public static MasterKey random() {
        byte[] key = new byte[LENGTH];
        new SecureRandom().nextBytes(key);
        return new MasterKey(key, "random");
    }

    /** Loads the key from {@code VEIL_MASTER_KEY} or the data directory's key file (created if absent). */
    public static MasterKey load(Path dataDir) {
        return load(dataDir, System.getenv());
    }

    /** As {@link #load(Path)}, with an explicit environment. */
    public static MasterKey load(Path dataDir, Map<String, String> env) {
        String fromEnv = env.get(ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(fromEnv.strip());
            } catch (IllegalArgumentException e) {
                throw new StoreException("master key from " + ENV_VAR + ": not valid base64");
            }
            return new MasterKey(decoded, ENV_VAR);
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                create(dataDir, file);
            }
            return readFile(file);
        } catch (IOException e) {
            throw new StoreException(
                    "master key file " + file + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private static void create(Path dataDir, Path file) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dataDir)) {
            // The data directory holds the key and the stores: private to the owner.
            if (posix) {
                Files.createDirectories(
                        dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dataDir);
            }
        }
        byte[] key = new byte[LENGTH];
        new SecureRandom().nextBytes(key);
        // Write a private temp file, fsync it, then move it into place so a crash never leaves a short key.
        Path tmp = posix
                ? Files.createTempFile(
                        dataDir,
                        FILE_NAME,
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dataDir, FILE_NAME, ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(key));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file);
            }
        } catch (FileAlreadyExistsException e) {
            // Another process created it first; use theirs.
        } finally {
            Files.deleteIfExists(tmp);
            Arrays.fill(key, (byte) 0);
        }
    }

    private static MasterKey readFile(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
            loose.addAll(perms);
            loose.retainAll(GROUP_OR_OTHER);
            if (!loose.isEmpty()) {
                throw new StoreException("master key file " + file + ": permissions "
                        + PosixFilePermissions.toString(perms)
                        + " let group/other access it; run 'chmod 600 " + file + "'");
            }
        }
        long size = Files.size(file);
        if (size != LENGTH) {
            throw new StoreException("master key file " + file + ": expected " + LENGTH + " bytes, found " + size
                    + " (restore the original key file, or set " + ENV_VAR + ")");
        }
        return new MasterKey(Files.readAllBytes(file), file.toString());
    }

    /** A copy of the key bytes; callers derive purpose keys from it and should not keep it. */
    public byte[] bytes() {
        return key.clone();
    }

    /** Where the key came from: {@code VEIL_MASTER_KEY}, the key file path, or {@code bytes}/{@code random}. */
    public String source() {
        return source;
    }

    /** A short non-secret fingerprint (first 8 hex digits of SHA-256 of the key) to tell keys apart in logs. */
    public String fingerprint() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key);
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[source=" + source + ", key=██]";
    }
}
