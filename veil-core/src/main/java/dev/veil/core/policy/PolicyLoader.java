package dev.veil.core.policy;

import dev.veil.api.ConnectorDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses and validates a policy document in one call: what {@code veil policy validate|apply} and the console
 * use.
 *
 * <pre>{@code
 * Map<String, ConnectorDescriptor> connectors = ...; // by type, e.g. from ServiceLoader
 * ValidationReport report = PolicyLoader.load(Files.readString(file), file.toString(), connectors);
 * System.out.println(report.format());             // "policy.yaml: error: destinations[0].context.ip: ..."
 * if (!report.valid()) {
 *     return 1;
 * }
 * Policy policy = report.orThrow();
 * }</pre>
 *
 * Stateless and thread-safe; never throws for any input text.
 */
public final class PolicyLoader {

    private PolicyLoader() {}

    /** Parses and validates {@code yaml} without traffic information. */
    public static ValidationReport load(String yaml, String sourceName, Map<String, ConnectorDescriptor> connectors) {
        return load(yaml, sourceName, connectors, null);
    }

    /**
     * Parses and validates {@code yaml}.
     *
     * @param traffic recent traffic for "allowed but never seen" warnings, or null
     */
    public static ValidationReport load(
            String yaml,
            String sourceName,
            Map<String, ConnectorDescriptor> connectors,
            @Nullable ObservedTraffic traffic) {
        PolicyParseResult parsed = PolicyParser.parse(yaml, sourceName);
        Policy policy = parsed.policy();
        if (policy == null) {
            return new ValidationReport(sourceName, null, parsed.errors(), List.of());
        }
        List<PolicyProblem> errors = new ArrayList<>();
        List<PolicyProblem> warnings = new ArrayList<>();
        for (PolicyProblem p : new PolicyValidator(connectors).validate(policy, parsed.lines(), traffic)) {
            (p.severity() == PolicyProblem.Severity.ERROR ? errors : warnings).add(p);
        }
        return new ValidationReport(sourceName, policy, errors, warnings);
    }
}
