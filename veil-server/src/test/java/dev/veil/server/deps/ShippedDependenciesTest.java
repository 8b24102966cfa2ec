package dev.veil.server.deps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.maven.artifact.versioning.DefaultArtifactVersion;
import org.apache.maven.artifact.versioning.InvalidVersionSpecificationException;
import org.apache.maven.artifact.versioning.VersionRange;
import org.junit.jupiter.api.Test;

/**
 * What the fat jar ships: its runtime dependencies (listed by the build into
 * {@code target/shipped-dependencies.txt}, the same set the shade plugin packs) are checked against the advisory
 * list {@code security/advisories.txt}, and the Jetty modules Veil does not use must stay out.
 */
class ShippedDependenciesTest {

    private static final Path SHIPPED = Path.of("target/shipped-dependencies.txt");
    private static final Path ADVISORIES = Path.of("../security/advisories.txt");

    /** Modules Javalin pulls in for features Veil does not use (annotation scanning, JNDI, web apps, CDI). */
    private static final List<String> DROPPED = List.of(
            "org.eclipse.jetty.ee10:jetty-ee10-annotations",
            "org.eclipse.jetty.ee10:jetty-ee10-plus",
            "org.eclipse.jetty.ee10:jetty-ee10-webapp",
            "org.eclipse.jetty:jetty-annotations",
            "org.eclipse.jetty:jetty-jndi",
            "org.eclipse.jetty:jetty-plus",
            "org.eclipse.jetty:jetty-xml",
            "org.eclipse.jetty.ee:jetty-ee-webapp",
            "org.ow2.asm:asm",
            "org.ow2.asm:asm-commons",
            "org.ow2.asm:asm-tree",
            "jakarta.enterprise:jakarta.enterprise.cdi-api",
            "jakarta.enterprise:jakarta.enterprise.lang-model",
            "jakarta.inject:jakarta.inject-api",
            "jakarta.interceptor:jakarta.interceptor-api",
            "jakarta.transaction:jakarta.transaction-api");

    record Artifact(String coordinate, String version) {}

    record Advisory(String id, String severity, String coordinate, VersionRange affected, String fixedIn) {
        boolean affects(Artifact a) {
            return coordinate.equals(a.coordinate())
                    && affected.containsVersion(new DefaultArtifactVersion(a.version()));
        }
    }

    @Test
    void no_shipped_library_is_in_a_known_vulnerable_version() throws IOException {
        List<Artifact> shipped = shipped();
        assertThat(shipped).as("runtime dependencies listed by the build").hasSizeGreaterThan(20);

        List<String> hits = hits(advisories(Files.readAllLines(ADVISORIES)), shipped);

        assertThat(hits)
                .as("known advisories (security/advisories.txt) of shipped libraries")
                .isEmpty();
    }

    @Test
    void the_check_flags_a_vulnerable_version_and_passes_a_fixed_one() {
        List<Advisory> list = advisories(
                List.of(
                        "# comment",
                        "",
                        "CVE-2026-13006 | HIGH | ch.qos.logback:logback-core | [,1.5.35) | 1.5.35 | Janino",
                        "GHSA-r7wm-3cxj-wff9 | HIGH | com.fasterxml.jackson.core:jackson-core | [2.15.0,2.18.8),[2.19.0,2.21.4) | 2.21.4 | async"));

        assertThat(hits(list, List.of(new Artifact("ch.qos.logback:logback-core", "1.5.20"))))
                .containsExactly("CVE-2026-13006 (HIGH) ch.qos.logback:logback-core 1.5.20, fixed in 1.5.35");
        assertThat(hits(list, List.of(new Artifact("com.fasterxml.jackson.core:jackson-core", "2.20.1"))))
                .hasSize(1);
        assertThat(hits(
                        list,
                        List.of(
                                new Artifact("ch.qos.logback:logback-core", "1.5.38"),
                                new Artifact("com.fasterxml.jackson.core:jackson-core", "2.23.0"),
                                new Artifact("com.fasterxml.jackson.core:jackson-core", "2.18.8"))))
                .isEmpty();
    }

    @Test
    void every_advisory_line_is_well_formed() throws IOException {
        List<String> lines = Files.readAllLines(ADVISORIES);
        List<Advisory> parsed = advisories(lines);
        long entries =
                lines.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
        assertThat(parsed).hasSize((int) entries).isNotEmpty();
        assertThat(parsed).allSatisfy(a -> assertThat(a.severity()).isIn("LOW", "MEDIUM", "HIGH", "CRITICAL"));
    }

    @Test
    void the_fat_jar_leaves_out_the_jetty_modules_veil_does_not_use() throws IOException {
        List<String> coordinates = shipped().stream().map(Artifact::coordinate).toList();

        assertThat(coordinates).doesNotContainAnyElementsOf(DROPPED);
        assertThat(coordinates)
                .as("what Javalin needs stays")
                .contains("org.eclipse.jetty:jetty-server", "org.eclipse.jetty.ee10:jetty-ee10-servlet");
    }

    private static List<String> hits(List<Advisory> advisories, List<Artifact> shipped) {
        List<String> hits = new ArrayList<>();
        for (Artifact a : shipped) {
            for (Advisory adv : advisories) {
                if (adv.affects(a)) {
                    hits.add(adv.id() + " (" + adv.severity() + ") " + a.coordinate() + " " + a.version()
                            + ", fixed in " + adv.fixedIn());
                }
            }
        }
        return hits;
    }

    static List<Advisory> advisories(List<String> lines) {
        List<Advisory> list = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\|");
            if (f.length < 6) {
                throw new IllegalArgumentException("advisory line has " + f.length + " fields, needs 6: " + line);
            }
            try {
                list.add(new Advisory(
                        f[0].trim(),
                        f[1].trim(),
                        f[2].trim(),
                        VersionRange.createFromVersionSpec(f[3].trim()),
                        f[4].trim()));
            } catch (InvalidVersionSpecificationException e) {
                throw new IllegalArgumentException("advisory " + f[0].trim() + ": bad version range " + f[3].trim(), e);
            }
        }
        return list;
    }

    /** Lines of maven-dependency-plugin's list goal: {@code group:artifact:type[:classifier]:version:scope}. */
    private static List<Artifact> shipped() throws IOException {
        Map<String, String> byCoordinate = Files.readAllLines(SHIPPED).stream()
                .map(String::trim)
                .filter(l -> l.chars().filter(c -> c == ':').count() >= 4 && !l.startsWith("The following"))
                .map(l -> l.split("\\s+")[0].split(":"))
                .collect(Collectors.toMap(p -> p[0] + ":" + p[1], p -> p[p.length - 2], (x, y) -> x));
        return byCoordinate.entrySet().stream()
                .map(e -> new Artifact(e.getKey(), e.getValue()))
                .sorted(java.util.Comparator.comparing(Artifact::coordinate))
                .toList();
    }
}
