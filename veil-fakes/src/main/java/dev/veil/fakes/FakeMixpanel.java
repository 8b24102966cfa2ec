package dev.veil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Fake Mixpanel {@code POST /import?strict=1}: HTTP Basic with the project token (empty password) or a service
 * account plus {@code project_id}; JSON array or NDJSON bodies up to 2 MB (413 above) and 2000 events. Invalid
 * events come back as a 400 partial success with {@code failed_records}; the valid ones are imported. Dedup key:
 * event + time + distinct_id + $insert_id.
 */
public final class FakeMixpanel extends FakeVendor {

    static final int MAX_BYTES = 2 * 1024 * 1024;
    static final int MAX_EVENTS = 2000;
    static final int MAX_EVENT_BYTES = 1024 * 1024;
    static final Set<String> PLACEHOLDERS = Set.of(
            "00000000-0000-0000-0000-000000000000",
            "anon",
            "anonymous",
            "nil",
            "none",
            "null",
            "n/a",
            "na",
            "undefined",
            "unknown",
            "<nil>",
            "0",
            "-1",
            "true",
            "false",
            "[]",
            "{}");

    private final String projectId;
    private final String projectToken;
    private final String serviceAccount;
    private final String serviceSecret;

    private FakeMixpanel(String projectId, String projectToken, String serviceAccount, String serviceSecret) {
        this.projectId = projectId;
        this.projectToken = projectToken;
        this.serviceAccount = serviceAccount;
        this.serviceSecret = serviceSecret;
    }

    /** Starts a fake project that accepts its project token, and a service account for {@code projectId}. */
    public static FakeMixpanel start(
            String projectId, String projectToken, String serviceAccount, String serviceSecret) {
        FakeMixpanel fake = new FakeMixpanel(projectId, projectToken, serviceAccount, serviceSecret);
        fake.startServer();
        return fake;
    }

    @Override
    protected Reply handle(ReceivedRequest request) {
        if (!request.path().equals("/import")) {
            return Reply.json(404, "{\"error\":\"not found\",\"status\":0}");
        }
        String credentials = credentials(request.header("authorization"));
        boolean token = credentials.equals(projectToken + ":");
        boolean account = credentials.equals(serviceAccount + ":" + serviceSecret);
        if (!token && !account) {
            violation("authorization: invalid credentials");
            return Reply.json(401, "{\"code\":401,\"error\":\"Invalid credentials\",\"status\":\"Unauthorized\"}");
        }
        if (account && !projectId.equals(request.query().get("project_id"))) {
            violation("project_id: required with a service account");
            return Reply.json(400, "{\"code\":400,\"error\":\"project_id is required\",\"status\":\"Bad Request\"}");
        }
        if (request.body().length > MAX_BYTES) {
            violation("body: " + request.body().length + " bytes; at most " + MAX_BYTES);
            return Reply.json(413, "{\"code\":413,\"error\":\"request too large\",\"status\":\"Payload Too Large\"}");
        }
        List<JsonNode> events = parse(request);
        if (events == null) {
            violation("body: not a JSON array or NDJSON");
            return Reply.json(400, "{\"code\":400,\"error\":\"unable to parse body\",\"status\":\"Bad Request\"}");
        }
        if (events.size() > MAX_EVENTS) {
            violation("body: " + events.size() + " events; at most " + MAX_EVENTS);
            return Reply.json(400, "{\"code\":400,\"error\":\"too many events\",\"status\":\"Bad Request\"}");
        }
        ArrayNode failed = JSON.createArrayNode();
        int imported = 0;
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            Problems p = new Problems();
            check(e, p);
            if (record(p)) {
                JsonNode props = e.get("properties");
                accept(
                        e,
                        e.get("event").asText() + "|" + props.get("time").asText() + "|"
                                + props.get("distinct_id").asText() + "|"
                                + props.get("$insert_id").asText());
                imported++;
            } else {
                String first = p.list().get(0);
                failed.addObject()
                        .put("index", i)
                        .put(
                                "$insert_id",
                                e.path("properties").path("$insert_id").asText(""))
                        .put("field", first.substring(0, first.indexOf(':')))
                        .put("message", first.substring(first.indexOf(':') + 2));
            }
        }
        ObjectNode body = JSON.createObjectNode();
        if (failed.isEmpty()) {
            body.put("code", 200).put("num_records_imported", imported).put("status", "OK");
            return Reply.json(200, body.toString());
        }
        body.put("code", 400).put("error", "some data points in the request failed validation");
        body.set("failed_records", failed);
        body.put("num_records_imported", imported).put("status", "Bad Request");
        return Reply.json(400, body.toString());
    }

    private static String credentials(String header) {
        if (!header.startsWith("Basic ")) {
            return "";
        }
        try {
            return new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static @Nullable List<JsonNode> parse(ReceivedRequest request) {
        var json = request.json();
        if (json.isPresent() && json.get().isArray()) {
            List<JsonNode> out = new ArrayList<>();
            json.get().forEach(out::add);
            return out;
        }
        List<JsonNode> out = new ArrayList<>();
        for (String line : request.bodyText().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(JSON.readTree(line));
            } catch (Exception e) {
                return null;
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static void check(JsonNode e, Problems p) {
        if (e.toString().getBytes(StandardCharsets.UTF_8).length >= MAX_EVENT_BYTES) {
            p.add("event", "larger than 1 MB");
        }
        if (!e.path("event").isTextual() || e.path("event").asText().isEmpty()) {
            p.add("event", "required");
        }
        JsonNode props = e.path("properties");
        if (!props.isObject()) {
            p.add("properties", "required");
            return;
        }
        JsonNode time = props.path("time");
        if (!time.isNumber()) {
            p.add("properties.time", "required, seconds or milliseconds since epoch");
        } else {
            long v = time.asLong();
            Instant t = v > 100_000_000_000L ? Instant.ofEpochMilli(v) : Instant.ofEpochSecond(v);
            if (t.isBefore(Instant.parse("1971-01-01T00:00:00Z"))) {
                p.add("properties.time", "before 1971-01-01");
            } else if (t.isAfter(Instant.now().plus(Duration.ofHours(1)))) {
                p.add("properties.time", "more than 1 hour in the future");
            }
        }
        JsonNode distinct = props.path("distinct_id");
        if (!distinct.isTextual() && !distinct.isNumber()) {
            p.add("properties.distinct_id", "required");
        } else if (PLACEHOLDERS.contains(distinct.asText().toLowerCase(java.util.Locale.ROOT))) {
            p.add("properties.distinct_id", "placeholder value");
        }
        JsonNode insert = props.path("$insert_id");
        if (!insert.isTextual()) {
            p.add("properties.$insert_id", "required in strict mode");
        } else if (!insert.asText().matches("[A-Za-z0-9-]{1,36}")) {
            p.add("properties.$insert_id", "at most 36 characters of [A-Za-z0-9-]");
        }
        if (props.size() >= 255) {
            p.add("properties", props.size() + " properties; fewer than 255 allowed");
        }
        props.fields().forEachRemaining(f -> {
            if (depth(f.getValue()) > 3) {
                p.add("properties." + f.getKey(), "nested more than 3 levels");
            }
            if (longestArray(f.getValue()) >= 255) {
                p.add("properties." + f.getKey(), "array with 255 or more elements");
            }
        });
    }

    private static int depth(JsonNode n) {
        if (!n.isContainerNode()) {
            return 0;
        }
        int max = 0;
        for (JsonNode c : n) {
            max = Math.max(max, depth(c));
        }
        return 1 + max;
    }

    private static int longestArray(JsonNode n) {
        int max = n.isArray() ? n.size() : 0;
        for (JsonNode c : n) {
            max = Math.max(max, longestArray(c));
        }
        return max;
    }
}
