package dev.veil.server.cli.policy;

import dev.veil.api.ConnectorDescriptor;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.PolicyLoader;
import dev.veil.core.policy.PrivacySettings;
import dev.veil.core.policy.ValidationReport;
import dev.veil.destinations.spi.ConnectorFactory;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads and validates policy files and stored policy versions against the connectors on the class path. */
final class PolicyFiles {

    /** What a workspace with no applied policy flows: nothing. */
    static final Policy EMPTY = new Policy(1, PrivacySettings.DEFAULTS, List.of(), List.of());

    private PolicyFiles() {}

    static Map<String, ConnectorDescriptor> connectors() {
        Map<String, ConnectorDescriptor> byType = new TreeMap<>();
        ConnectorFactory.loadAll().forEach((type, factory) -> byType.put(type, factory.descriptor()));
        return byType;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw CliFailure.invalid(file + ": no such file");
        } catch (MalformedInputException e) {
            throw CliFailure.invalid(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw CliFailure.invalid(file + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
    }

    static ValidationReport validate(Path file) {
        return PolicyLoader.load(read(file), file.toString(), connectors());
    }

    /** The valid policy in {@code file}; otherwise a failure listing every error with its path and line. */
    static Policy load(Path file) {
        return valid(validate(file));
    }

    /** A stored version's policy; a version that no longer validates (e.g. a connector was removed) fails. */
    static Policy parseStored(String yaml, int version) {
        return valid(PolicyLoader.load(yaml, "policy version " + version, connectors()));
    }

    private static Policy valid(ValidationReport report) {
        if (!report.valid()) {
            throw CliFailure.invalid("invalid policy\n" + report.format());
        }
        return report.orThrow();
    }
}
