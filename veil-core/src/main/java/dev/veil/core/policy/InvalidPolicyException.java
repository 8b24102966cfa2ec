package dev.veil.core.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A policy document was refused; carries every error found (each with YAML path and line, never a value). */
public final class InvalidPolicyException extends RuntimeException {

    private final List<PolicyProblem> errors;

    public InvalidPolicyException(String sourceName, List<PolicyProblem> errors) {
        super(
                "policy " + sourceName + " has " + errors.size() + (errors.size() == 1 ? " error" : " errors") + ":\n"
                        + errors.stream().map(PolicyProblem::message).collect(Collectors.joining("\n")),
                null,
                false,
                false);
        this.errors = List.copyOf(errors);
    }

    /** The errors, in document order. */
    public List<PolicyProblem> errors() {
        return errors;
    }
}
