package dev.veil.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fuzzes the URL sanitizer: it never throws, and its output never holds a fragment, userinfo or a query parameter
 * that is not kept. In a normal {@code mvn test} Jazzer runs in regression mode (the stored inputs only, plus the
 * hand-picked cases below); {@code ./veil test} fuzzes it for a bounded time (README, "Tests").
 */
class UrlSanitizerFuzzTest {

    private static final Set<String> KEEP = Set.of("utm_source", "utm_medium", "utm_campaign");

    @FuzzTest(maxDuration = "20s")
    void sanitizer_output_never_holds_a_fragment_userinfo_or_unkept_query_param(FuzzedDataProvider data) {
        String prefix = data.pickValue(List.of("", "https://", "http://", "//", "/", "HTTPS://u:p@", "javascript:"));
        checkInvariants(prefix + data.consumeRemainingAsString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "#",
                "?",
                "@",
                "https://",
                "https://@",
                "https://a@b@c/d?x#y",
                "://@x",
                "/;@/77@%",
                "/;a/;b/evil.example/x",
                "https://host/?utm_source=a&utm_source=b&secret=1&=x&&utm_medium",
                "https://host/p?utm%5Fsource=x&u%74m_medium=y&email=a%40b.com",
                "https://host/p?%ZZ=1&utm_campaign=%E0%A4%A",
                "//u:p@host:99999/x",
                "\\\\u@host\\a?b=c",
                "https:\\\\u@host\\a",
                "https://[::1]/a?b#c",
                "https://[::1/a",
                "/a/b;c=d/e?f=g",
                " \t https://h/\n?secret=1 ",
                "https://h/%2F..%2F?x=1",
                "https://h/?utm_source=a#b?secret=c",
                "https://h#?secret=1",
                "https://user:pass@h?secret@x=1",
                "\u0000https://h/?\u0000secret=1"
            })
    void sanitizer_handles_nasty_urls(String url) {
        checkInvariants(url);
    }

    private static void checkInvariants(String input) {
        UrlSanitizer.Outcome o = UrlSanitizerTest.SANITIZER.sanitize(input);
        String url = o.url();
        if (url == null) {
            assertThat(o.path()).isNull();
            return;
        }
        assertThat(url).doesNotContain("#");
        String rest = url;
        int schemeEnd = rest.indexOf("://");
        if (schemeEnd >= 0 && rest.indexOf('/') > schemeEnd) {
            rest = rest.substring(schemeEnd + 1);
        }
        if (rest.startsWith("//")) {
            int end = rest.indexOf('/', 2);
            String authority = end < 0 ? rest.substring(2) : rest.substring(2, end);
            int q = authority.indexOf('?');
            assertThat(q < 0 ? authority : authority.substring(0, q)).doesNotContain("@");
        }
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&", -1)) {
                int eq = pair.indexOf('=');
                String name = UrlSanitizer.decode(eq < 0 ? pair : pair.substring(0, eq), true);
                assertThat(KEEP).as("kept query param of %s", input.length()).contains(name);
            }
        }
    }
}
