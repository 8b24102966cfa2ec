package dev.veil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Fake Mixpanel ingestion: {@code POST /import?strict=1} and {@code POST /engage}, following {@link MixpanelRules}
 * (each rule cites Mixpanel's documentation). {@code /import} takes HTTP Basic with the project token (empty password)
 * or a service account plus {@code project_id}; JSON array or NDJSON bodies up to 2 MB (413 above) and 2000 events.
 * Invalid events come back as a 400 partial success with {@code failed_records}; the valid ones are imported. Dedup
 * key: event + time + distinct_id + $insert_id. {@code /engage} takes profile updates authenticated by {@code $token}.
 *
 * <p>It also models how Mixpanel reports what it keeps ({@link #incomplete()}): geolocation filled in from the
 * sender's address (without {@code ip=0}, every property of {@code $city}/{@code $region}/{@code mp_country_code}
 * the event lacks is the location of the machine that sent the request: Veil's server), a {@code $region} spelled as
 * a code where Mixpanel's geolocation writes a name, and anonymous events that the Simplified ID Merge cannot join to
 * their user. {@link #users()} resolves each imported event to its user the way the ID merge does.
 */
public final class FakeMixpanel extends FakeVendor {

    private final String projectId;
    private final String projectToken;
    private final String serviceAccount;
    private final String serviceSecret;
    private final List<String> incomplete = new CopyOnWriteArrayList<>();
    private final Map<String, String> deviceToUser = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> profiles = new ConcurrentHashMap<>();

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

    /** Accepted events and profile updates Mixpanel would report wrongly, as {@code where: why}. */
    public List<String> incomplete() {
        return List.copyOf(incomplete);
    }

    /** User profiles as the accepted {@code /engage} updates left them, by distinct_id. */
    public Map<String, JsonNode> profiles() {
        return Map.copyOf(profiles);
    }

    /**
     * The user each accepted event counts for, after the Simplified ID Merge (retroactive, as Mixpanel does): an
     * anonymous event's {@code $device:<id>} resolves to the {@code $user_id} that a later event linked to the device.
     */
    public Set<String> users() {
        Set<String> users = new TreeSet<>();
        for (JsonNode e : accepted()) {
            if (e.has("event")) {
                users.add(canonical(e.path("properties")));
            }
        }
        return users;
    }

    private String canonical(JsonNode props) {
        String distinct = props.path("distinct_id").asText("");
        if (distinct.startsWith(MixpanelRules.DEVICE_PREFIX)) {
            String device = distinct.substring(MixpanelRules.DEVICE_PREFIX.length());
            return deviceToUser.getOrDefault(device, distinct);
        }
        return deviceToUser.getOrDefault(distinct, distinct);
    }

    @Override
    protected synchronized Reply handle(ReceivedRequest request) {
        return switch (request.path()) {
            case "/import" -> importEvents(request);
            case "/engage" -> engage(request);
            default -> Reply.json(404, "{\"error\":\"not found\",\"status\":0}");
        };
    }

    private Reply importEvents(ReceivedRequest request) {
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
        if (request.body().length > MixpanelRules.MAX_BODY_BYTES) {
            violation("body: " + request.body().length + " bytes; at most " + MixpanelRules.MAX_BODY_BYTES);
            return Reply.json(
                    413,
                    "{\"code\":413,\"error\":\"request exceeds max limit of 2097152 bytes\","
                            + "\"status\":\"Request Entity Too Large\"}");
        }
        List<JsonNode> events = parse(request);
        if (events == null) {
            violation("body: not a JSON array or NDJSON");
            return Reply.json(400, "{\"code\":400,\"error\":\"unable to parse body\",\"status\":\"Bad Request\"}");
        }
        if (events.size() > MixpanelRules.MAX_EVENTS) {
            violation("body: " + events.size() + " events; at most " + MixpanelRules.MAX_EVENTS);
            return Reply.json(400, "{\"code\":400,\"error\":\"too many events\",\"status\":\"Bad Request\"}");
        }
        boolean requestIpIgnored = "0".equals(request.query().get("ip"));
        ArrayNode failed = JSON.createArrayNode();
        int imported = 0;
        for (int i = 0; i < events.size(); i++) {
            JsonNode e = events.get(i);
            Problems p = new Problems();
            check(e, p);
            if (record(p)) {
                JsonNode props = e.get("properties");
                report(i, props, requestIpIgnored);
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

    /** Records what Mixpanel would make of an accepted event: its location, its identity cluster. */
    private void report(int index, JsonNode props, boolean requestIpIgnored) {
        String at = "events[" + index + "]";
        if (!props.has("ip") && !requestIpIgnored) {
            for (String geo : new TreeSet<>(MixpanelRules.EVENT_GEO)) {
                if (!props.has(geo)) {
                    incomplete.add(at + "." + geo + ": taken from the location of the request's sender");
                }
            }
        }
        String region = props.path("$region").asText("");
        if (region.matches("[A-Z0-9]{1,3}")) {
            incomplete.add(at + ".$region: a code; Mixpanel's geolocation writes region names (e.g. California)");
        }
        String device = props.path("$device_id").asText("");
        String user = props.path("$user_id").asText("");
        String distinct = props.path("distinct_id").asText("");
        if (!user.isEmpty()) {
            if (!distinct.equals(user)) {
                incomplete.add(at + ".distinct_id: differs from $user_id");
            }
            if (!device.isEmpty()) {
                deviceToUser.putIfAbsent(device, user);
            }
        } else if (!device.isEmpty() && !distinct.equals(MixpanelRules.DEVICE_PREFIX + device)) {
            incomplete.add(at + ".distinct_id: an anonymous event's distinct_id must be $device:<$device_id>"
                    + " for the ID merge to join it to its user");
        }
    }

    private Reply engage(ReceivedRequest request) {
        JsonNode body = request.json().orElse(null);
        if (body == null || !body.isArray() || body.isEmpty()) {
            violation("body: not a JSON array of profile updates");
            return Reply.json(400, "{\"error\":\"data, missing or empty\",\"status\":0}");
        }
        if (body.size() > MixpanelRules.MAX_PROFILE_UPDATES) {
            violation("body: " + body.size() + " updates; at most " + MixpanelRules.MAX_PROFILE_UPDATES);
            return Reply.json(400, "{\"error\":\"too many updates\",\"status\":0}");
        }
        for (JsonNode update : body) {
            if (!projectToken.equals(update.path("$token").asText())) {
                violation("$token: invalid");
                return Reply.json(401, "{\"error\":\"Invalid token\",\"status\":0}");
            }
        }
        Problems p = new Problems();
        for (int i = 0; i < body.size(); i++) {
            checkUpdate(body.get(i), "[" + i + "]", p);
        }
        if (!record(p)) {
            return Reply.json(400, "{\"error\":\"invalid profile update\",\"status\":0}");
        }
        boolean requestIpIgnored = "0".equals(request.query().get("ip"));
        for (int i = 0; i < body.size(); i++) {
            JsonNode update = body.get(i);
            String distinct = update.get("$distinct_id").asText();
            if (!requestIpIgnored && !update.has("$ip")) {
                incomplete.add("[" + i + "]: profile location taken from the request's sender");
            }
            ObjectNode profile = profiles.computeIfAbsent(distinct, k -> JSON.createObjectNode());
            if (update.get("$set") instanceof ObjectNode set) {
                profile.setAll(set);
            }
            if (update.get("$set_once") instanceof ObjectNode once) {
                once.properties().forEach(f -> {
                    if (!profile.has(f.getKey())) {
                        profile.set(f.getKey(), f.getValue());
                    }
                });
            }
            accept(update, "engage|" + distinct + "|" + update);
        }
        return Reply.json(200, "{\"error\":null,\"status\":1}");
    }

    private static void checkUpdate(JsonNode u, String at, Problems p) {
        JsonNode distinct = u.path("$distinct_id");
        if (!distinct.isTextual() || distinct.asText().isEmpty()) {
            p.add(at + ".$distinct_id", "required");
        } else if (MixpanelRules.INVALID_IDS.contains(distinct.asText().toLowerCase(Locale.ROOT))) {
            p.add(at + ".$distinct_id", "placeholder value");
        }
        long operations = u.properties().stream()
                .filter(f -> MixpanelRules.PROFILE_OPERATIONS.contains(f.getKey()))
                .count();
        if (operations != 1) {
            p.add(at, operations + " operations; exactly one of " + new TreeSet<>(MixpanelRules.PROFILE_OPERATIONS));
        }
        JsonNode set = u.path("$set");
        if (u.has("$set") && !set.isObject()) {
            p.add(at + ".$set", "must be an object");
        }
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
        if (e.toString().getBytes(StandardCharsets.UTF_8).length >= MixpanelRules.MAX_EVENT_BYTES) {
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
            if (t.isBefore(MixpanelRules.EARLIEST)) {
                p.add("properties.time", "before 1971-01-01");
            } else if (t.isAfter(Instant.now().plus(MixpanelRules.MAX_FUTURE))) {
                p.add("properties.time", "more than 1 hour in the future");
            }
        }
        JsonNode distinct = props.path("distinct_id");
        if (!distinct.isTextual() && !distinct.isNumber()) {
            p.add("properties.distinct_id", "required");
        } else if (MixpanelRules.INVALID_IDS.contains(distinct.asText().toLowerCase(Locale.ROOT))) {
            p.add("properties.distinct_id", "placeholder value");
        }
        JsonNode insert = props.path("$insert_id");
        if (!insert.isTextual()) {
            p.add("properties.$insert_id", "required in strict mode");
        } else if (!MixpanelRules.INSERT_ID.matcher(insert.asText()).matches()) {
            p.add("properties.$insert_id", "at most 36 characters of [A-Za-z0-9-]");
        } else if (MixpanelRules.INVALID_IDS.contains(insert.asText().toLowerCase(Locale.ROOT))) {
            p.add("properties.$insert_id", "placeholder value");
        }
        if (props.size() >= MixpanelRules.PROPERTY_LIMIT) {
            p.add("properties", props.size() + " properties; fewer than 255 allowed");
        }
        props.fields().forEachRemaining(f -> {
            if (depth(f.getValue()) > MixpanelRules.MAX_NESTING) {
                p.add("properties." + f.getKey(), "nested more than 3 levels");
            }
            if (widest(f.getValue()) >= MixpanelRules.PROPERTY_LIMIT) {
                p.add("properties." + f.getKey(), "an object with 255 or more keys");
            }
            if (longestArray(f.getValue()) >= MixpanelRules.PROPERTY_LIMIT) {
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

    private static int widest(JsonNode n) {
        int max = n.isObject() ? n.size() : 0;
        for (JsonNode c : n) {
            max = Math.max(max, widest(c));
        }
        return max;
    }

    private static int longestArray(JsonNode n) {
        int max = n.isArray() ? n.size() : 0;
        for (JsonNode c : n) {
            max = Math.max(max, longestArray(c));
        }
        return max;
    }
}
