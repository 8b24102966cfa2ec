package dev.veil.server.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.CharConversionException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Parses a request body into messages without trusting it: the JSON parser itself refuses nesting beyond the
 * limit (so a deeply nested body cannot exhaust the stack) and each batch element's size is measured from the
 * parser's byte offsets, so no message is serialized again to be measured. Error messages give the position
 * and the kind of problem, never the offending text (it may be PHI).
 */
final class PayloadParser {

    private final ObjectMapper mapper;
    private final int maxDepth;

    /** {@code maxDepth} is the deepest nesting inside one message. */
    PayloadParser(int maxDepth) {
        this.maxDepth = maxDepth;
        // +2: a batch's message sits inside {"batch": [ ... ]}.
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth + 2)
                        .build())
                .build();
        this.mapper = new ObjectMapper(factory);
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** The body of a single call ({@code /v1/track} ...): one JSON object. */
    ObjectNode parseSingle(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest("invalid_json", "body is empty; expected a JSON object");
        }
        try (JsonParser p = mapper.createParser(body)) {
            JsonNode node = mapper.readTree(p);
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

    /** An element of a batch with its size in bytes as sent (after decompression). */
    record Element(int index, @Nullable JsonNode node, long bytes) {}

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
        ObjectNode envelope = mapper.createObjectNode();
        List<Element> elements = new ArrayList<>();
        int count = 0;
        boolean sawBatch = false;
        try (JsonParser p = mapper.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("invalid_json", "body must be a JSON object with a \"batch\" array");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("batch".equals(field)) {
                    if (value != JsonToken.START_ARRAY) {
                        throw ApiException.badRequest("invalid_batch", "batch: must be an array");
                    }
                    sawBatch = true;
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
                        JsonNode node = mapper.readTree(p);
                        long end = p.currentLocation().getByteOffset();
                        elements.add(new Element(count, node, end - start));
                        count++;
                    }
                } else {
                    envelope.set(field, mapper.readTree(p));
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

    private ApiException nestingTooDeep(String where) {
        return ApiException.badRequest("nesting_too_deep", where + ": nesting is deeper than " + maxDepth + " levels");
    }

    private ApiException invalid(IOException e) {
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
