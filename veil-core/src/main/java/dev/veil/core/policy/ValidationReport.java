package dev.veil.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of loading a policy: the policy when it has no errors, and every error and warning (each with
 * YAML path and line). Immutable.
 *
 * @param sourceName where the text came from, e.g. {@code policy.yaml}
 * @param policy the policy, or null when there is any error
 * @param errors problems that refuse the policy (CLI exit code 1)
 * @param warnings problems worth reading that do not refuse it
 */
public record ValidationReport(
        String sourceName, @Nullable Policy policy, List<PolicyProblem> errors, List<PolicyProblem> warnings) {

    public ValidationReport {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        if (!errors.isEmpty()) {
            policy = null;
        }
    }

    /** Whether the policy may be applied. */
    public boolean valid() {
        return errors.isEmpty() && policy != null;
    }

    /** The policy, only when there are no errors. */
    public Optional<Policy> maybePolicy() {
        return Optional.ofNullable(policy);
    }

    /**
     * The policy, or an exception carrying every error.
     *
     * @throws InvalidPolicyException when there are errors
     */
    public Policy orThrow() {
        if (policy == null) {
            throw new InvalidPolicyException(sourceName, errors);
        }
        return policy;
    }

    /** Errors then warnings, one per line, as the CLI prints them: {@code error: path: detail (line n)}. */
    public String format() {
        List<String> lines = new ArrayList<>();
        errors.forEach(p -> lines.add(sourceName + ": " + p));
        warnings.forEach(p -> lines.add(sourceName + ": " + p));
        lines.add(sourceName + ": " + errors.size() + (errors.size() == 1 ? " error, " : " errors, ") + warnings.size()
                + (warnings.size() == 1 ? " warning" : " warnings"));
        return String.join("\n", lines);
    }
}
