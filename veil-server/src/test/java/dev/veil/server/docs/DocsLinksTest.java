package dev.veil.server.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and {@code docs/} are what users get: every relative link resolves to a file inside the repository,
 * and no page points into the development workspace ({@code ../shared/…}), which users do not have.
 */
class DocsLinksTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void every_relative_link_in_readme_and_docs_resolves_inside_the_repository() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path page : pages()) {
            String text = Files.readString(page);
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z][a-z0-9+.-]*:.*") || target.startsWith("#")) {
                    continue;
                }
                String file = target.replaceAll("#.*$", "");
                Path resolved = page.getParent().resolve(file).normalize();
                if (!resolved.startsWith(REPO) || !Files.exists(resolved)) {
                    problems.add(REPO.relativize(page) + " -> " + target);
                }
            }
        }
        assertThat(problems)
                .as("links that leave the repository or point nowhere")
                .isEmpty();
    }

    @Test
    void no_page_mentions_the_development_workspace() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path page : pages()) {
            if (Files.readString(page).contains("../shared/")) {
                problems.add(REPO.relativize(page).toString());
            }
        }
        assertThat(problems).as("pages that refer to ../shared").isEmpty();
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(REPO.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(REPO.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertThat(pages).hasSizeGreaterThan(5);
        return pages;
    }
}
