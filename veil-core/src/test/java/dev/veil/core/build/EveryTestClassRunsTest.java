package dev.veil.core.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A test class that surefire never picks up passes silently forever ({@code PolicyRoundTripProperties} did). This
 * scans every module's {@code src/test/java} and fails for a concrete class with tests ({@code @Test}, {@code
 * @Property}, {@code @FuzzTest}, ...) whose name surefire's default includes ({@code Test*}, {@code *Test}, {@code
 * *Tests}, {@code *TestCase}) do not match, and for a module pom that overrides those includes.
 */
class EveryTestClassRunsTest {

    private static final Pattern TEST_ANNOTATION = Pattern.compile(
            "^\\s*@(Test|ParameterizedTest|RepeatedTest|TestFactory|TestTemplate|Property|Example|FuzzTest)\\b",
            Pattern.MULTILINE);
    private static final Pattern ABSTRACT_CLASS =
            Pattern.compile("^(public\\s+)?abstract\\s+class\\s", Pattern.MULTILINE);

    /** Surefire's default {@code <includes>}, by simple class name. */
    static boolean surefireRuns(String simpleName) {
        return simpleName.startsWith("Test")
                || simpleName.endsWith("Test")
                || simpleName.endsWith("Tests")
                || simpleName.endsWith("TestCase");
    }

    @ParameterizedTest
    @CsvSource({
        "PolicyParserTest, true",
        "TestEvents, true",
        "SqliteStoresTests, true",
        "LegacyTestCase, true",
        "PolicyRoundTripProperties, false",
        "DeliveryThroughputBench, false",
        "EventLogContract, false"
    })
    void knows_which_names_surefire_runs(String name, boolean runs) {
        assertThat(surefireRuns(name)).isEqualTo(runs);
    }

    @Test
    void every_concrete_class_with_tests_is_named_so_surefire_runs_it() throws IOException {
        Path root = repositoryRoot();
        List<String> missed = new ArrayList<>();
        int classesWithTests = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(EveryTestClassRunsTest::isTestSource).toList()) {
                String source = Files.readString(f, StandardCharsets.UTF_8);
                if (!TEST_ANNOTATION.matcher(source).find()
                        || ABSTRACT_CLASS.matcher(source).find()) {
                    continue;
                }
                classesWithTests++;
                String name = f.getFileName().toString().replaceFirst("\\.java$", "");
                if (!surefireRuns(name)) {
                    missed.add(root.relativize(f).toString());
                }
            }
        }
        assertThat(classesWithTests).as("test classes found under %s", root).isGreaterThan(100);
        assertThat(missed)
                .as("classes with tests that surefire never runs: rename them to *Test")
                .isEmpty();
    }

    @Test
    void no_module_narrows_surefires_includes() throws IOException {
        Path root = repositoryRoot();
        List<String> overriding = new ArrayList<>();
        try (Stream<Path> poms = Files.walk(root, 2)) {
            for (Path pom : poms.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> !p.toString().contains("node_modules"))
                    .toList()) {
                String text = Files.readString(pom, StandardCharsets.UTF_8);
                int surefire = text.indexOf("<artifactId>maven-surefire-plugin</artifactId>");
                if (surefire >= 0) {
                    int end = text.indexOf("</plugin>", surefire);
                    String config = text.substring(surefire, end < 0 ? text.length() : end);
                    if (config.contains("<includes>")) {
                        overriding.add(root.relativize(pom).toString());
                    }
                }
            }
        }
        assertThat(overriding)
                .as("poms whose surefire <includes> would make this check's name rule wrong")
                .isEmpty();
    }

    private static boolean isTestSource(Path p) {
        String s = p.toString().replace('\\', '/');
        return s.endsWith(".java")
                && s.contains("/src/test/java/")
                && !s.contains("/target/")
                && !s.contains("/node_modules/");
    }

    /** The directory holding {@code mvnw} and the parent pom, found from the module the test runs in. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "no repository root (mvnw) above " + Path.of("").toAbsolutePath());
    }
}
