package dev.veil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the policy parser: for any text it returns a result (never throws), and a policy it accepts survives
 * validation, export and diff. In a normal {@code mvn test} only the seed corpus in {@code
 * PolicyParserFuzzTestInputs/} runs; {@code ./veil test} fuzzes it for a bounded time (README, "Tests"; docs/policy.md).
 */
class PolicyParserFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void parser_reports_problems_and_never_throws(FuzzedDataProvider data) {
        String yaml = data.consumeRemainingAsString();
        PolicyParseResult result = PolicyParser.parse(yaml, "fuzz.yaml");
        assertThat(result.errors())
                .as("a parser bug surfaced as an internal error")
                .noneMatch(p -> p.detail().startsWith("internal error"));
        Policy policy = result.policy();
        if (policy == null) {
            assertThat(result.errors()).isNotEmpty();
            assertThatThrownBy(result::orThrow).isInstanceOf(InvalidPolicyException.class);
            return;
        }
        new PolicyValidator(FakeConnectors.ALL).validate(policy, result.lines());
        Policy again = PolicyParser.parse(PolicyExporter.export(policy), "exported.yaml")
                .orThrow();
        assertThat(again).isEqualTo(policy);
        assertThat(PolicyDiff.between(policy, again)).isEmpty();
    }
}
