package dev.veil.core.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Turns a {@link SecretRef} into the secret it names, from the environment or a file (e.g. a Docker or
 * Kubernetes secret mount). Errors name the reference, never the value. Thread-safe when its lookups are.
 */
public final class SecretResolver {

    /** Reads a secret file; a seam so tests need no real files. */
    @FunctionalInterface
    public interface FileReader {
        String read(Path path) throws IOException;
    }

    private final Function<String, @Nullable String> env;
    private final FileReader files;
    private final Function<String, @Nullable String> stored;

    public SecretResolver(Function<String, @Nullable String> env, FileReader files) {
        this(env, files, name -> null);
    }

    /** A resolver that also knows {@code ${secret:NAME}} references, looked up in {@code stored}. */
    public SecretResolver(
            Function<String, @Nullable String> env, FileReader files, Function<String, @Nullable String> stored) {
        this.env = env;
        this.files = files;
        this.stored = stored;
    }

    /** This resolver with {@code ${secret:NAME}} references looked up in {@code stored}. */
    public SecretResolver withStored(Function<String, @Nullable String> stored) {
        return new SecretResolver(env, files, stored);
    }

    /** A resolver over the process environment and the file system. */
    public static SecretResolver system() {
        return new SecretResolver(System::getenv, path -> Files.readString(path, StandardCharsets.UTF_8));
    }

    /**
     * Resolves {@code ref}. A file's trailing line break is removed (secret files are usually written with one).
     *
     * @throws UnresolvedSecretException when the variable is unset or empty, or the file is unreadable or empty
     */
    public String resolve(SecretRef ref) {
        String value;
        if (ref.kind() == SecretRef.Kind.ENV) {
            value = env.apply(ref.name());
            if (value == null) {
                throw new UnresolvedSecretException(ref, "is not set");
            }
        } else if (ref.kind() == SecretRef.Kind.SECRET) {
            value = stored.apply(ref.name());
            if (value == null) {
                throw new UnresolvedSecretException(
                        ref, "is not set in the secret store (set it through the admin API)");
            }
        } else {
            try {
                value = files.read(Path.of(ref.name()));
            } catch (IOException | RuntimeException e) {
                // The exception's message may hold file content on some file systems; keep only its kind.
                throw new UnresolvedSecretException(
                        ref, "cannot be read (" + e.getClass().getSimpleName() + ")");
            }
            value = value.replaceAll("[\\r\\n]+$", "");
        }
        if (value.isEmpty()) {
            throw new UnresolvedSecretException(ref, "is empty");
        }
        return value;
    }

    /** Every reference in {@code policy} that does not resolve, as sentences; empty when all do. */
    public List<String> check(Policy policy) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < policy.sources().size(); i++) {
            SecretRef ref = policy.sources().get(i).writeKey();
            if (ref != null) {
                tryResolve(ref, Paths.child(Paths.item("sources", i), "writeKey"), problems);
            }
        }
        for (int i = 0; i < policy.destinations().size(); i++) {
            String path = Paths.child(Paths.item("destinations", i), "settings");
            policy.destinations().get(i).settings().forEach((key, value) -> {
                if (value instanceof SettingValue.Secret s) {
                    tryResolve(s.ref(), Paths.child(path, key), problems);
                }
            });
        }
        return problems;
    }

    private void tryResolve(SecretRef ref, String path, List<String> problems) {
        try {
            resolve(ref);
        } catch (UnresolvedSecretException e) {
            problems.add(path + ": " + e.getMessage());
        }
    }
}
