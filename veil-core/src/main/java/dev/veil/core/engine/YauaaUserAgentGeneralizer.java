package dev.veil.core.engine;

import dev.veil.api.SafeContext;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * A {@link UserAgentGeneralizer} backed by Yauaa. Building one takes seconds and a lot of memory: build it once
 * per process and share it. Results are cached by Yauaa in a bounded LRU cache. Thread-safe.
 *
 * <p>Browser and OS names are mapped onto a fixed list of well-known names ({@code Other} otherwise) so a
 * crafted user agent cannot smuggle text into the output; the major version is kept only when it is a short
 * number.
 */
public final class YauaaUserAgentGeneralizer implements UserAgentGeneralizer {

    private static final Set<String> BROWSERS = Set.of(
            "Chrome",
            "Chromium",
            "Firefox",
            "Safari",
            "Edge",
            "Opera",
            "Samsung Internet",
            "Brave",
            "Vivaldi",
            "Yandex Browser",
            "UC Browser",
            "Internet Explorer",
            "Silk",
            "Chrome Webview",
            "Facebook App",
            "Instagram App",
            "TikTok",
            "DuckDuckGo");
    private static final Set<String> SYSTEMS = Set.of(
            "Windows NT",
            "Mac OS",
            "iOS",
            "iPadOS",
            "Android",
            "Linux",
            "Ubuntu",
            "Chrome OS",
            "Fedora",
            "FreeBSD",
            "Windows Phone",
            "Tizen",
            "KaiOS",
            "HarmonyOS",
            "Fire OS");
    private static final Map<String, String> OS_NAMES = Map.of("Windows NT", "Windows", "Mac OS", "macOS");
    private static final Pattern MAJOR = Pattern.compile("\\d{1,4}");

    private final UserAgentAnalyzer analyzer;

    private YauaaUserAgentGeneralizer(UserAgentAnalyzer analyzer) {
        this.analyzer = analyzer;
    }

    /** Builds the analyzer (slow: do it once) with an LRU cache of {@code cacheSize} results. */
    public static YauaaUserAgentGeneralizer create(int cacheSize) {
        return new YauaaUserAgentGeneralizer(UserAgentAnalyzer.newBuilder()
                .hideMatcherLoadStats()
                .withCache(cacheSize)
                .withField(UserAgent.AGENT_NAME)
                .withField(UserAgent.AGENT_VERSION_MAJOR)
                .withField(UserAgent.OPERATING_SYSTEM_NAME)
                .withField(UserAgent.DEVICE_CLASS)
                .immediateInitialization()
                .build());
    }

    @Override
    public Optional<SafeContext.UserAgentInfo> generalize(String userAgent) {
        if (userAgent.isBlank()) {
            return Optional.empty();
        }
        UserAgent ua;
        try {
            ua = analyzer.parse(userAgent);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        String agent = ua.getValue(UserAgent.AGENT_NAME);
        String browser = BROWSERS.contains(agent) ? agent : "Other";
        String major = ua.getValue(UserAgent.AGENT_VERSION_MAJOR);
        String browserMajor = browser.equals("Other") || !MAJOR.matcher(major).matches() ? null : major;
        String os = ua.getValue(UserAgent.OPERATING_SYSTEM_NAME);
        String osName = SYSTEMS.contains(os) ? OS_NAMES.getOrDefault(os, os) : "Other";
        return Optional.of(new SafeContext.UserAgentInfo(
                browser, browserMajor, osName, deviceType(ua.getValue(UserAgent.DEVICE_CLASS))));
    }

    private static String deviceType(String deviceClass) {
        return switch (deviceClass.toLowerCase(Locale.ROOT)) {
            case "desktop" -> "desktop";
            case "phone", "mobile" -> "mobile";
            case "tablet" -> "tablet";
            default -> "other";
        };
    }
}
