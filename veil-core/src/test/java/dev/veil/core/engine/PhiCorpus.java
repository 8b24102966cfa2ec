package dev.veil.core.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The PHI and benign corpora of {@code src/test/resources/phi-corpus}, and the encodings PHI is hidden in. Shared by
 * the recall, false-positive and property tests (and the end-to-end test, which reads the same files).
 */
public final class PhiCorpus {

    /** A PHI value, its detector, and the part of it that must never leave. */
    public record Phi(String detector, String value, String core) {}

    /** A benign value, its category and the field it travels in. */
    public record Benign(String category, String field, String value) {}

    private PhiCorpus() {}

    public static List<Phi> phi() {
        List<Phi> out = new ArrayList<>();
        for (String[] f : lines("/phi-corpus/phi.txt")) {
            out.add(new Phi(f[0], f[1], f.length > 2 ? f[2] : f[1]));
        }
        return out;
    }

    public static List<Benign> benign() {
        List<Benign> out = new ArrayList<>();
        for (String[] f : lines("/phi-corpus/benign.txt")) {
            out.add(new Benign(f[0], f[1], f[2]));
        }
        return out;
    }

    private static List<String[]> lines(String resource) {
        try (InputStream in = PhiCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the test class path");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split("\\|", -1))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The encodings the scanner must see through, by name (the order is the report's). */
    public static final Map<String, UnaryOperator<String>> ENCODINGS = encodings();

    private static Map<String, UnaryOperator<String>> encodings() {
        Map<String, UnaryOperator<String>> e = new LinkedHashMap<>();
        e.put("raw", v -> v);
        e.put("form-encoded", v -> URLEncoder.encode(v, StandardCharsets.UTF_8));
        e.put("percent", PhiCorpus::percent);
        e.put("double-percent", v -> percent(percent(v)));
        e.put("html-numeric", PhiCorpus::htmlNumeric);
        e.put("html-named", v -> v.replace("@", "&commat;").replace(".", "&period;"));
        e.put("full-width", PhiCorpus::fullWidth);
        e.put("nb-hyphen-space", v -> v.replace('-', '\u2011').replace(' ', '\u00a0'));
        e.put("base64", v -> Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
        e.put(
                "base64url",
                v -> Base64.getUrlEncoder().withoutPadding().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
        return e;
    }

    /**
     * Whether an encoding can be applied to a value: base64 needs 7 bytes (a bare 5-digit ZIP code encodes to 7
     * characters, shorter than the 10 the scanner decodes; see {@code TextDecoder.MIN_BASE64}).
     */
    public static boolean applies(String encoding, String value) {
        return !encoding.startsWith("base64") || value.getBytes(StandardCharsets.UTF_8).length >= 7;
    }

    /** RFC 3986 percent-encoding of everything but unreserved characters. */
    public static String percent(String v) {
        StringBuilder sb = new StringBuilder();
        for (byte b : v.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }

    static String htmlNumeric(String v) {
        StringBuilder sb = new StringBuilder();
        v.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp)) {
                sb.appendCodePoint(cp);
            } else {
                sb.append("&#").append(cp).append(';');
            }
        });
        return sb.toString();
    }

    static String fullWidth(String v) {
        StringBuilder sb = new StringBuilder();
        for (char c : v.toCharArray()) {
            if (c > 0x20 && c < 0x7f) {
                sb.append((char) (c + 0xfee0));
            } else if (c == ' ') {
                sb.append('\u3000');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
