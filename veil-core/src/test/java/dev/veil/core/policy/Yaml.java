package dev.veil.core.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helpers: the example policy and problem messages. */
final class Yaml {
    private Yaml() {}

    static String example() {
        try {
            return Files.readString(Path.of("..", "examples", "policy.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Policy parse(String yaml) {
        return PolicyParser.parse(yaml, "test.yaml").orThrow();
    }

    static List<String> errors(String yaml) {
        return PolicyParser.parse(yaml, "test.yaml").errors().stream()
                .map(PolicyProblem::message)
                .toList();
    }

    /** A minimal policy with one destination whose body is {@code destinationBody} (indented by 4). */
    static String withDestination(String destinationBody) {
        return "version: 1\ndestinations:\n  - id: d1\n    type: ga4\n" + destinationBody.indent(4);
    }
}
