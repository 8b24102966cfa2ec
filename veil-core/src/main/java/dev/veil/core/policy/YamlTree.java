package dev.veil.core.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A YAML document read into a small tree whose every node knows its line, so that errors can name it.
 *
 * <p>Design note: Jackson's {@code JsonNode} forgets token locations, so the tree is built here from Jackson's
 * streaming YAML parser. Duplicate keys, anchors/aliases and multiple documents are refused while reading,
 * because each of them would make what a reviewer reads differ from what Veil applies.
 */
final class YamlTree {

    /** The nesting depth beyond which a document is refused (a real policy is about 6 deep). */
    static final int MAX_DEPTH = 40;

    /** A located node. */
    sealed interface Node {
        int line();
    }

    /** The YAML type a scalar was read as (plain {@code true} is a boolean, {@code "true"} a string). */
    enum ScalarKind {
        STRING,
        INTEGER,
        FLOAT,
        BOOLEAN,
        NULL
    }

    record Scalar(
            String text,
            ScalarKind kind,
            int line,
            @Nullable Number number) implements Node {}

    record Entry(String key, int keyLine, Node value) {}

    record MapNode(Map<String, Entry> entries, int line) implements Node {}

    record ListNode(List<Node> items, int line) implements Node {}

    /** Thrown for YAML that cannot be read at all; carries the line and a value-free reason. */
    static final class SyntaxError extends Exception {
        final int line;
        final String path;

        SyntaxError(String path, int line, String reason) {
            super(reason, null, false, false);
            this.line = line;
            this.path = path;
        }
    }

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .loaderOptions(loaderOptions())
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(1_000_000)
                    .build())
            .build();

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(5 * 1024 * 1024);
        options.setAllowRecursiveKeys(false);
        return options;
    }

    private YamlTree() {}

    /** Reads one YAML document; returns null for an empty document. */
    static @Nullable Node read(String yaml) throws SyntaxError {
        try (YAMLParser parser = (YAMLParser) FACTORY.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            Node root = readValue(parser, "", 0);
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw new SyntaxError("", line(parser), "only one YAML document is allowed");
            }
            return root;
        } catch (SyntaxError e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Jackson and SnakeYAML messages quote the offending text, which may be a secret: keep only the line.
            throw new SyntaxError("", lineOf(e), "not valid YAML (" + reasonOf(e) + ")");
        }
    }

    private static Node readValue(YAMLParser p, String path, int depth) throws IOException, SyntaxError {
        if (depth > MAX_DEPTH) {
            throw new SyntaxError(path, line(p), "nested deeper than " + MAX_DEPTH + " levels");
        }
        if (p.isCurrentAlias()) {
            throw new SyntaxError(path, line(p), "YAML aliases (*name) are not supported; write the value out");
        }
        if (p.getObjectId() != null) {
            throw new SyntaxError(path, line(p), "YAML anchors (&name) are not supported");
        }
        if (p.getTypeId() != null) {
            throw new SyntaxError(path, line(p), "YAML tags (!name) are not supported");
        }
        int line = line(p);
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int keyLine = line(p);
                String childPath = Paths.child(path, key);
                if (entries.containsKey(key)) {
                    throw new SyntaxError(childPath, keyLine, "duplicate key");
                }
                p.nextToken();
                entries.put(key, new Entry(key, keyLine, readValue(p, childPath, depth + 1)));
            }
            return new MapNode(entries, line);
        }
        if (t == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(readValue(p, path + "[" + items.size() + "]", depth + 1));
            }
            return new ListNode(items, line);
        }
        return switch (t) {
            case VALUE_STRING -> new Scalar(p.getText(), ScalarKind.STRING, line, null);
            case VALUE_TRUE, VALUE_FALSE -> new Scalar(p.getText(), ScalarKind.BOOLEAN, line, null);
            case VALUE_NULL -> new Scalar("", ScalarKind.NULL, line, null);
            case VALUE_NUMBER_INT -> new Scalar(p.getText(), ScalarKind.INTEGER, line, integer(p));
            case VALUE_NUMBER_FLOAT -> new Scalar(p.getText(), ScalarKind.FLOAT, line, decimal(p));
            default -> throw new SyntaxError(path, line, "unexpected YAML content");
        };
    }

    private static @Nullable Number integer(JsonParser p) {
        try {
            return p.getBigIntegerValue();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static @Nullable Number decimal(JsonParser p) {
        try {
            return p.getDecimalValue();
        } catch (IOException | RuntimeException e) {
            return null; // .nan, .inf: not a usable setting value
        }
    }

    private static int line(JsonParser p) {
        JsonLocation loc = p.currentTokenLocation();
        return Math.max(0, loc.getLineNr());
    }

    private static int lineOf(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof com.fasterxml.jackson.core.JacksonException je && je.getLocation() != null) {
                return Math.max(0, je.getLocation().getLineNr());
            }
            if (c instanceof org.yaml.snakeyaml.error.MarkedYAMLException me && me.getProblemMark() != null) {
                return me.getProblemMark().getLine() + 1;
            }
        }
        return 0;
    }

    private static String reasonOf(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.yaml.snakeyaml.error.MarkedYAMLException me && me.getProblem() != null) {
                // SnakeYAML's problem text is generic ("mapping values are not allowed here") and holds no value.
                // Quoted parts are token kinds ('<block end>') or single characters; anything longer could be text
                // from the document, so it is cut.
                return me.getProblem()
                        .replaceAll("'[^']{13,}'|\"[^\"]{13,}\"", "'…'")
                        .replaceAll("[\r\n]+", " ")
                        .trim();
            }
            if (c instanceof org.yaml.snakeyaml.error.YAMLException) {
                return "malformed document";
            }
        }
        return "malformed document";
    }
}
