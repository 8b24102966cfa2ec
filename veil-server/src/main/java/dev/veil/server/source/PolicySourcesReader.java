package dev.veil.server.source;

import dev.veil.core.policy.PolicyParseResult;
import dev.veil.core.policy.PolicyParser;
import dev.veil.core.policy.PolicyProblem;
import dev.veil.core.policy.SourceSpec;
import dev.veil.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads the {@code sources} of a policy file (spec/policy.md) with the policy parser of veil-core, so the server
 * can authenticate senders. A policy with structural errors is refused with every error, each naming its path
 * and line.
 */
public final class PolicySourcesReader {

    private PolicySourcesReader() {}

    /** The sources of the policy at {@code file}. */
    public static List<SourceSpec> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(
                    "policy " + file + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
        return parse(text, file.toString());
    }

    static List<SourceSpec> parse(String yaml, String name) {
        PolicyParseResult result = PolicyParser.parse(yaml, name);
        if (result.policy() == null) {
            throw new ConfigException("policy " + name + " is invalid:\n  "
                    + result.errors().stream().map(PolicyProblem::toString).collect(Collectors.joining("\n  ")));
        }
        return result.policy().sources();
    }
}
