package dev.veil.core.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The build's hang guards are in force: JUnit runs this test under a default timeout (so a hung test fails instead
 * of stalling the build), and surefire kills a test JVM that runs too long (parent pom).
 */
class HangGuardTest {

    private static final AtomicReference<String> TIMEOUT = new AtomicReference<>();

    @RegisterExtension
    static final BeforeEachCallback READ_TIMEOUT =
            context -> TIMEOUT.set(context.getConfigurationParameter("junit.jupiter.execution.timeout.default")
                    .orElse(null));

    @Test
    void every_test_runs_under_a_default_timeout() {
        assertThat(TIMEOUT.get()).as("junit.jupiter.execution.timeout.default").isNotBlank();
    }

    @Test
    void surefire_kills_a_test_jvm_that_runs_too_long() throws IOException {
        Path pom = Path.of("").toAbsolutePath().getParent().resolve("pom.xml");
        String text = Files.readString(pom, StandardCharsets.UTF_8);
        assertThat(text)
                .contains("<forkedProcessTimeoutInSeconds>${veil.test.forkTimeout}</forkedProcessTimeoutInSeconds>");
        assertThat(text).containsPattern("<veil.test.forkTimeout>\\d+</veil.test.forkTimeout>");
    }
}
