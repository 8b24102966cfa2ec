package dev.veil.server.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.io.CharConversionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Parses a request body into messages without trusting it: the JSON parser itself refuses nesting beyond the
 * limit (so a deeply nested body cannot exhaust the stack) and each batch element's size is measured from the
 * parser's byte offsets, so no message is serialized again to be measured. Error messages give the position
 * and the kind of problem, never the offending text (it may be PHI).
 *
 * <p>Also refused: bodies that are not strictly UTF-8 (overlong forms, surrogates, UTF-16 or UTF-32, which the
 * JSON parser would otherwise decode by itself), numbers beyond a double's range ({@code 1e999999} would become
 * {@code Infinity}) and duplicate keys in an object (which value would a destination see?). In a batch the last
 * two refuse only the message they are in.
 */
final class PayloadParser {

    private final ObjectMapper mapper;
    private final int maxDepth;

    private static final int MAX_NAME_IN_PATH = 64;

    /** Longest number accepted, in characters (Jackson's own default). */
    static final int MAX_NUMBER_LENGTH = 1_000;

    /** {@code maxDepth} is the deepest nesting inside one message. */
    PayloadParser(int maxDepth) {
        this.maxDepth = maxDepth;
        // +2: a batch's message sits inside {"batch": [ ... ]}.
        // A shared buffer pool, not Jackson's default per-thread one: every request runs on a new virtual thread,
        // where a thread-local pool never hands a buffer back and each request allocated fresh parser buffers.
        JsonFactory factory = JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth + 2)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .build();
        this.mapper = new ObjectMapper(factory)
                .setNodeFactory(new FiniteNumbers())
                // checked after the value is read, so the parser is still in step and a batch can go on
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    }

    /** A tree node factory that refuses numbers a double cannot hold (they would turn into Infinity). */
    private static final class FiniteNumbers extends JsonNodeFactory {
        @Override
        public NumericNode numberNode(double v) {
            if (!Double.isFinite(v)) {
                throw new NonFiniteNumber();
            }
            return super.numberNode(v);
        }

        @Override
        public ValueNode numberNode(Double value) {
            if (value != null && !Double.isFinite(value)) {
                throw new NonFiniteNumber();
            }
            return super.numberNode(value);
        }

        @Override
        public NumericNode numberNode(float v) {
            if (!Float.isFinite(v)) {
                throw new NonFiniteNumber();
            }
            return super.numberNode(v);
        }
    }

    private static final class NonFiniteNumber extends RuntimeException {
        NonFiniteNumber() {
            super(null, null, false, false);
        }
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** The body of a single call ({@code /v1/track} ...): one JSON object. */
    ObjectNode parseSingle(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest("invalid_json", "body is empty; expected a JSON object");
        }
        requireUtf8(body);
        try (JsonParser p = mapper.createParser(body)) {
            JsonNode node;
            try {
                node = mapper.readTree(p);
            } catch (NonFiniteNumber | MismatchedInputException e) {
                throw valueProblem(e, p);
            }
            if (node == null) { // only whitespace (found by IngestParserFuzzTest: it answered 500)
                throw ApiException.badRequest("invalid_json", "body is empty; expected a JSON object");
            }
            if (p.nextToken() != null) {
                throw ApiException.badRequest(
                        "invalid_json", "invalid JSON at " + where(p.currentTokenLocation()) + ": trailing content");
            }
            if (!(node instanceof ObjectNode object)) {
                throw ApiException.badRequest("invalid_json", "body must be a JSON object, found " + Json.kind(node));
            }
            if (Json.depth(object) > maxDepth) {
                throw nestingTooDeep("message");
            }
            return object;
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    /**
     * An element of a batch with its size in bytes as sent (after decompression); {@code refused} when the parser
     * already refused it alone (a number out of range, a duplicate key), then {@code node} is null.
     */
    record Element(
            int index,
            @Nullable JsonNode node,
            long bytes,
            @Nullable ApiException refused) {}

    /** A batch body: its elements and the other top-level fields (writeKey, sentAt, context, integrations). */
    record Batch(List<Element> elements, ObjectNode envelope, int count) {}

    /**
     * A batch body. Elements past {@code maxMessages} are counted but not kept, so an oversized batch costs only
     * a scan.
     */
    Batch parseBatch(byte[] body, int maxMessages) {
        if (body.length == 0) {
            throw ApiException.badRequest("invalid_json", "body is empty; expected {\"batch\": [...]}");
        }
        requireUtf8(body);
        ObjectNode envelope = mapper.createObjectNode();
        List<Element> elements = new ArrayList<>();
        Set<String> fields = new HashSet<>();
        int count = 0;
        boolean sawBatch = false;
        try (JsonParser p = mapper.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("invalid_json", "body must be a JSON object with a \"batch\" array");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (!fields.add(field)) {
                    throw ApiException.badRequest("duplicate_key", pathOf(p.getParsingContext()) + ": appears twice");
                }
                JsonToken value = p.nextToken();
                if ("batch".equals(field)) {
                    if (value != JsonToken.START_ARRAY) {
                        throw ApiException.badRequest("invalid_batch", "batch: must be an array");
                    }
                    sawBatch = true;
                    JsonStreamContext array = p.getParsingContext(); // on START_ARRAY: the array's own context
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (p.currentToken() == null) {
                            throw new JsonEOFException(p, null, "end of input inside batch");
                        }
                        if (count >= maxMessages) {
                            p.skipChildren();
                            count++;
                            continue;
                        }
                        long start = p.currentTokenLocation().getByteOffset();
                        try {
                            JsonNode node = mapper.readTree(p);
                            long end = p.currentLocation().getByteOffset();
                            elements.add(new Element(count, node, end - start, null));
                        } catch (NonFiniteNumber | MismatchedInputException e) {
                            ApiException refused = valueProblem(e, p);
                            skipToEndOfElement(p, array);
                            long end = p.currentLocation().getByteOffset();
                            elements.add(new Element(count, null, end - start, refused));
                        }
                        count++;
                    }
                } else {
                    try {
                        envelope.set(field, mapper.readTree(p));
                    } catch (NonFiniteNumber | MismatchedInputException e) {
                        throw valueProblem(e, p);
                    }
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw ApiException.badRequest("invalid_json", "invalid JSON: trailing content after the object");
            }
        } catch (IOException e) {
            throw invalid(e);
        }
        if (!sawBatch) {
            throw ApiException.badRequest("invalid_batch", "batch: is required (an array of messages)");
        }
        return new Batch(elements, envelope, count);
    }

    /** After a refused element, reads on to its end, so that the next element can be parsed. */
    private static void skipToEndOfElement(JsonParser p, JsonStreamContext array) throws IOException {
        while (p.getParsingContext() != array) {
            if (p.nextToken() == null) {
                throw new JsonEOFException(p, null, "end of input inside batch");
            }
        }
    }

    /**
     * A number out of range or a duplicate key, named by its path in the body ({@code batch[2].properties.n}).
     */
    private static ApiException valueProblem(Exception e, JsonParser p) {
        String path = pathOf(p.getParsingContext());
        if (e instanceof NonFiniteNumber) {
            return ApiException.badRequest(
                    "number_out_of_range", path + ": is a number beyond the range of a double (about 1.8e308)");
        }
        if (e instanceof MismatchedInputException m
                && String.valueOf(m.getOriginalMessage()).startsWith("Duplicate field")) {
            return ApiException.badRequest("duplicate_key", path + ": appears twice in the same object");
        }
        JsonLocation at = e instanceof JsonProcessingException j ? j.getLocation() : null;
        return ApiException.badRequest("invalid_json", "invalid JSON at " + where(at));
    }

    /** {@code /batch/2/properties/n} as {@code batch[2].properties.n}; never a value. */
    static String pathOf(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.add("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                String name = c.getCurrentName();
                // a key is the client's text: keep errors short whatever it sends
                parts.add("." + (name.length() > MAX_NAME_IN_PATH ? name.substring(0, MAX_NAME_IN_PATH) + "…" : name));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = parts.size() - 1; i >= 0; i--) {
            sb.append(parts.get(i));
        }
        String path = sb.length() > 0 && sb.charAt(0) == '.' ? sb.substring(1) : sb.toString();
        return path.isEmpty() ? "body" : path;
    }

    /**
     * Refuses what is not strictly UTF-8 before the JSON parser sees it: the parser would detect UTF-16 and
     * UTF-32 by itself and does not check overlong forms. A NUL byte cannot occur in UTF-8 JSON (it would be
     * escaped) but is in nearly every UTF-16 or UTF-32 text; the rest is checked by the JDK's strict decoder
     * from the first non-ASCII byte on.
     */
    static void requireUtf8(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (b == 0) {
                throw ApiException.badRequest(
                        "invalid_utf8", "body is not valid UTF-8: a NUL byte at offset " + i + " (UTF-16 or UTF-32?)");
            }
            if (b < 0) {
                checkStrictUtf8(body, i);
                return;
            }
        }
    }

    private static void checkStrictUtf8(byte[] body, int from) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body, from, body.length - from);
        CharBuffer out = CharBuffer.allocate(4_096);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                throw ApiException.badRequest(
                        "invalid_utf8", "body is not valid UTF-8 at byte offset " + in.position());
            }
            if (r.isUnderflow()) {
                r = decoder.flush(out);
                if (r.isError()) {
                    throw ApiException.badRequest("invalid_utf8", "body is not valid UTF-8 at the end");
                }
                return;
            }
            out.clear(); // overflow: only validity matters, not the characters
        }
    }

    private ApiException nestingTooDeep(String where) {
        return ApiException.badRequest("nesting_too_deep", where + ": nesting is deeper than " + maxDepth + " levels");
    }

    private ApiException invalid(IOException e) {
        if (e instanceof StreamConstraintsException sce
                && String.valueOf(sce.getOriginalMessage()).contains("getMaxNumberLength")) {
            return ApiException.badRequest(
                    "number_too_long",
                    "a number has more than " + MAX_NUMBER_LENGTH + " characters"
                            + (sce.getLocation() == null ? "" : " at " + where(sce.getLocation())));
        }
        if (e instanceof StreamConstraintsException) {
            return ApiException.badRequest(
                    "nesting_too_deep",
                    "nesting is deeper than " + maxDepth + " levels inside a message"
                            + (e instanceof JsonProcessingException j ? " at " + where(j.getLocation()) : ""));
        }
        if (e instanceof CharConversionException
                || (e instanceof JsonParseException jp
                        && jp.getOriginalMessage().contains("UTF-8"))) {
            String at = e instanceof JsonProcessingException j ? " at " + where(j.getLocation()) : "";
            return ApiException.badRequest("invalid_utf8", "body is not valid UTF-8" + at);
        }
        if (e instanceof JsonEOFException eof) {
            return ApiException.badRequest(
                    "invalid_json", "invalid JSON: unexpected end of input at " + where(eof.getLocation()));
        }
        if (e instanceof JsonProcessingException j) {
            return ApiException.badRequest("invalid_json", "invalid JSON at " + where(j.getLocation()));
        }
        return ApiException.badRequest("invalid_json", "body could not be read as JSON");
    }

    private static String where(@Nullable JsonLocation loc) {
        if (loc == null) {
            return "an unknown position";
        }
        return "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }
}
