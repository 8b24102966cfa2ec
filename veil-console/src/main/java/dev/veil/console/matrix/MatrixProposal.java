package dev.veil.console.matrix;

import dev.veil.api.ConnectorDescriptor;
import dev.veil.core.policy.ObservedTraffic;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.PolicyDiff;
import dev.veil.core.policy.PolicyExporter;
import dev.veil.core.policy.PolicyLoader;
import dev.veil.core.policy.PolicyProblem;
import dev.veil.core.policy.ValidationReport;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A change proposed from the matrix, as a reviewer sees it before it is saved to a draft: the policy text it
 * would become, the validator's verdict on it, the plain-words diff, and the problems the change itself brings
 * (those the policy already had are not blamed on the click).
 *
 * @param yaml the proposed policy, exported
 * @param report the validator's report on {@code yaml}
 * @param changes what changes, in plain words
 * @param introduced errors and warnings that the starting policy did not have
 */
public record MatrixProposal(
        String yaml, ValidationReport report, List<PolicyDiff.Change> changes, List<PolicyProblem> introduced) {

    public MatrixProposal {
        changes = List.copyOf(changes);
        introduced = List.copyOf(introduced);
    }

    /** Whether the change can be saved: the proposed policy validates. */
    public boolean acceptable() {
        return report.valid();
    }

    /** The errors the change brings (what refuses it). */
    public List<PolicyProblem> errors() {
        return introduced.stream()
                .filter(p -> p.severity() == PolicyProblem.Severity.ERROR)
                .toList();
    }

    /** The warnings the change brings. */
    public List<PolicyProblem> warnings() {
        return introduced.stream()
                .filter(p -> p.severity() == PolicyProblem.Severity.WARNING)
                .toList();
    }

    /**
     * Validates {@code after} as it would be stored (exported, then parsed again) against the connectors and
     * the traffic seen, and compares it with {@code before}.
     */
    public static MatrixProposal of(
            Policy before,
            Policy after,
            Map<String, ConnectorDescriptor> connectors,
            @Nullable ObservedTraffic traffic) {
        String beforeYaml = PolicyExporter.export(before);
        String yaml = PolicyExporter.export(after);
        ValidationReport old = PolicyLoader.load(beforeYaml, "policy", connectors, traffic);
        ValidationReport report = PolicyLoader.load(yaml, "draft", connectors, traffic);
        Set<String> had = new HashSet<>();
        for (PolicyProblem p : old.errors()) {
            had.add(id(p));
        }
        for (PolicyProblem p : old.warnings()) {
            had.add(id(p));
        }
        List<PolicyProblem> introduced = java.util.stream.Stream.concat(
                        report.errors().stream(), report.warnings().stream())
                .filter(p -> !had.contains(id(p)))
                .toList();
        List<PolicyDiff.Change> changes = PolicyDiff.between(before, after);
        return new MatrixProposal(yaml, report, changes, introduced);
    }

    private static String id(PolicyProblem p) {
        return p.severity() + "\u0000" + p.path() + "\u0000" + p.detail();
    }
}
