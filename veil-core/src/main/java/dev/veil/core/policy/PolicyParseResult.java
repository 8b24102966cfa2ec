package dev.veil.core.policy;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link PolicyParser#parse} found: the policy when the document has no structural errors, the errors
 * otherwise (all of them, in document order), and the line of every YAML path for later checks.
 *
 * @param sourceName where the text came from, e.g. {@code policy.yaml}
 * @param policy the policy, or null when there are errors
 * @param errors structural errors (empty when {@code policy} is present)
 * @param lines the line of every YAML path that was read
 */
public record PolicyParseResult(
        String sourceName, @Nullable Policy policy, List<PolicyProblem> errors, LineIndex lines) {

    public PolicyParseResult {
        errors = List.copyOf(errors);
        if ((policy == null) == errors.isEmpty()) {
            throw new IllegalArgumentException("a parse result has either a policy or errors");
        }
    }

    /** The policy, when the document was free of structural errors. */
    public Optional<Policy> maybePolicy() {
        return Optional.ofNullable(policy);
    }

    /**
     * The policy, or an exception carrying every error.
     *
     * @throws InvalidPolicyException when the document has errors
     */
    public Policy orThrow() {
        if (policy == null) {
            throw new InvalidPolicyException(sourceName, errors);
        }
        return policy;
    }
}
