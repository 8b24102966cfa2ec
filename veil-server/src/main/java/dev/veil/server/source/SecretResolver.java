package dev.veil.server.source;

import dev.veil.core.policy.SecretRef;
import dev.veil.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Resolves {@code ${env:…}} and {@code ${file:…}} references; messages name the reference, never the value. */
public final class SecretResolver {

    private final Map<String, String> env;
    private final Path baseDir;

    /** {@code baseDir} resolves relative {@code ${file:…}} paths (the policy file's directory). */
    public SecretResolver(Map<String, String> env, Path baseDir) {
        this.env = Map.copyOf(env);
        this.baseDir = baseDir;
    }

    /** The secret's value, trimmed of surrounding whitespace (files usually end with a newline). */
    public String resolve(SecretRef ref, String usedBy) {
        String value;
        if (ref.kind() == SecretRef.Kind.SECRET) {
            throw new ConfigException(usedBy + ": " + ref.asYaml()
                    + " cannot be used for a source's write key; use ${env:NAME} or ${file:/path}, or let Veil"
                    + " generate the key");
        }
        if (ref.kind() == SecretRef.Kind.ENV) {
            value = env.get(ref.name());
            if (value == null) {
                throw new ConfigException(usedBy + ": environment variable " + ref.name() + " is not set");
            }
        } else {
            Path file = baseDir.resolve(ref.name());
            try {
                value = Files.readString(file);
            } catch (IOException e) {
                throw new ConfigException(
                        usedBy + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        value = value.strip();
        if (value.isEmpty()) {
            throw new ConfigException(usedBy + ": " + ref.asYaml() + " is empty");
        }
        return value;
    }
}
