package dev.veil.server.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders the one-line HTML snippet that sites paste into their pages.
 *
 * <p>The snippet defines {@code window.veil} as a queue stub (each call is kept with its time), then loads the
 * SDK asynchronously; the SDK replays the queued calls, so nothing called before it loads is lost.
 */
public final class SdkSnippet {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String STUB = "!function(w,d,u,o){var v=w.veil=w.veil||[];if(v.l||v.loaded)return;"
            + "v.l=1;v.o=o;\"page track identify group alias reset consent ready flush\".split(\" \")"
            + ".forEach(function(m){v[m]=function(){v.push([m,[].slice.call(arguments),Date.now()])}});"
            + "var s=d.createElement(\"script\");s.async=1;s.src=u;d.head.appendChild(s)}"
            + "(window,document,%s,%s)";

    private SdkSnippet() {}

    /**
     * The snippet for a script URL and a source's write key.
     *
     * @param scriptUrl the SDK's loader URL (usually {@link SdkRoutes#loaderPath()}, absolute when the site is on
     *     another origin than Veil)
     * @param writeKey the source's public write key
     * @param options further SDK options ({@code requireConsent}, {@code host}, …); booleans, numbers or strings
     */
    public static String render(String scriptUrl, String writeKey, Map<String, ?> options) {
        return "<script>" + javascript(scriptUrl, writeKey, options) + "</script>";
    }

    /**
     * The snippet's JavaScript alone, to serve as a file for pages whose Content-Security-Policy forbids inline
     * scripts (Veil's own demo site does this).
     */
    public static String javascript(String scriptUrl, String writeKey, Map<String, ?> options) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("writeKey", writeKey);
        all.putAll(options);
        return STUB.formatted(js(scriptUrl), js(all));
    }

    /** The snippet with default options. */
    public static String render(String scriptUrl, String writeKey) {
        return render(scriptUrl, writeKey, Map.of());
    }

    // JSON is valid JavaScript; escaping '<' keeps a value from closing the script element.
    private static String js(Object value) {
        try {
            return JSON.writeValueAsString(value).replace("<", "\\u003c");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("sdk snippet: an option value cannot be written as JSON", e);
        }
    }
}
