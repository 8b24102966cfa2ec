package dev.veil.admin.http;

import static dev.veil.admin.http.AdminRoutes.create;
import static dev.veil.admin.http.AdminRoutes.route;
import static dev.veil.admin.http.Body.optional;
import static dev.veil.admin.http.Body.required;
import static dev.veil.admin.http.Body.secret;

import dev.veil.admin.AdminException;
import dev.veil.admin.AdminServices;
import dev.veil.admin.auth.Permission;
import dev.veil.admin.http.Body.Type;
import dev.veil.admin.http.Route.Method;
import dev.veil.admin.policy.DestinationService;
import dev.veil.admin.resources.SourceService;
import dev.veil.api.ConnectorDescriptor;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sources, destinations (edits become drafts), connector types, masking keys, delivery status and dead letters. */
final class ConfigRoutes {

    private ConfigRoutes() {}

    static List<Route> routes(AdminServices s) {
        String src = "sources";
        String dst = "destinations";
        return List.of(
                route(
                        Method.GET,
                        "/sources",
                        Permission.VIEW_CONFIG,
                        src,
                        "List sources (write keys are never shown).",
                        null,
                        r -> Response.ok(s.sources().list().stream()
                                .map(Views.SourceView::of)
                                .toList())),
                create(
                        Method.POST,
                        "/sources",
                        Permission.EDIT_CONFIG,
                        src,
                        "Create a source; its write key and install snippet are returned only now.",
                        Body.of(
                                required("id", Type.STRING, 64, "stable id"),
                                required("name", Type.STRING, 200, "display name"),
                                optional("allowedOrigins", Type.STRING_LIST, 100, "browser origins allowed to send")),
                        r -> Response.created(withKey(s.sources()
                                .create(
                                        r.principal(),
                                        r.string("id"),
                                        r.string("name"),
                                        r.optStrings("allowedOrigins") == null
                                                ? List.of()
                                                : r.optStrings("allowedOrigins"))))),
                route(
                        Method.GET,
                        "/sources/{id}",
                        Permission.VIEW_CONFIG,
                        src,
                        "One source.",
                        null,
                        r -> Response.ok(Views.SourceView.of(s.sources().get(r.path("id"))))),
                route(
                        Method.PATCH,
                        "/sources/{id}",
                        Permission.EDIT_CONFIG,
                        src,
                        "Rename a source or change its allowed origins.",
                        Body.of(
                                optional("name", Type.STRING, 200, "display name"),
                                optional("allowedOrigins", Type.STRING_LIST, 100, "browser origins allowed to send")),
                        r -> Response.ok(Views.SourceView.of(s.sources()
                                .update(
                                        r.principal(),
                                        r.path("id"),
                                        r.optString("name"),
                                        r.optStrings("allowedOrigins"))))),
                route(
                        Method.POST,
                        "/sources/{id}/rotate-key",
                        Permission.EDIT_CONFIG,
                        src,
                        "Replace the write key (the old one stops at once); the new key is returned only now.",
                        null,
                        r -> Response.ok(withKey(s.sources().rotateKey(r.principal(), r.path("id"))))),
                route(
                        Method.DELETE,
                        "/sources/{id}",
                        Permission.EDIT_CONFIG,
                        src,
                        "Delete a source (its key stops working).",
                        null,
                        r -> {
                            s.sources().delete(r.principal(), r.path("id"));
                            return Response.noContent();
                        }),
                route(
                        Method.GET,
                        "/sources/{id}/snippet",
                        Permission.VIEW_CONFIG,
                        src,
                        "The install snippet, with a placeholder for the write key.",
                        null,
                        r -> Response.ok(Map.of(
                                "snippet",
                                s.sources().snippet(r.path("id")),
                                "placeholder",
                                SourceService.KEY_PLACEHOLDER))),
                route(
                        Method.GET,
                        "/connectors",
                        Permission.VIEW_CONFIG,
                        dst,
                        "Connector types and their settings (for forms).",
                        null,
                        r -> Response.ok(s.destinations().connectors().values().stream()
                                .map(ConfigRoutes::connector)
                                .toList())),
                route(
                        Method.GET,
                        "/destinations",
                        Permission.VIEW_CONFIG,
                        dst,
                        "Destinations of the published policy; secret settings only as set or not.",
                        null,
                        r -> Response.ok(s.destinations().list())),
                route(
                        Method.GET,
                        "/destinations/{id}",
                        Permission.VIEW_CONFIG,
                        dst,
                        "One destination of the published policy.",
                        null,
                        r -> Response.ok(s.destinations().get(r.path("id")))),
                route(
                        Method.PUT,
                        "/destinations/{id}",
                        Permission.EDIT_CONFIG,
                        dst,
                        "Create or change a destination in a draft (?draft=ID, else a new draft); returns the draft.",
                        Body.of(
                                optional("type", Type.STRING, 64, "connector type (required for a new destination)"),
                                optional("name", Type.STRING, 200, "display name"),
                                optional("enabled", Type.BOOLEAN, 0, "whether events flow"),
                                optional("baa", Type.BOOLEAN, 0, "a BAA is signed with this vendor"),
                                optional("settings", Type.STRING_MAP, 50, "non-secret connector settings")),
                        r -> Response.ok(Views.DraftDetail.of(s.destinations()
                                .edit(
                                        r.principal(),
                                        r.path("id"),
                                        new DestinationService.Changes(
                                                r.optString("type"),
                                                r.optString("name"),
                                                r.optBool("enabled"),
                                                r.optBool("baa"),
                                                r.optStringMap("settings")),
                                        r.draftParam())))),
                route(
                        Method.PUT,
                        "/destinations/{id}/secrets/{key}",
                        Permission.EDIT_CONFIG,
                        dst,
                        "Set a secret setting (write-only: stored encrypted, never returned); the draft references it.",
                        Body.of(secret("value", true, 4096, "the secret")),
                        r -> Response.ok(Views.DraftDetail.of(s.destinations()
                                .setSecret(
                                        r.principal(),
                                        r.path("id"),
                                        r.path("key"),
                                        r.string("value"),
                                        r.draftParam())))),
                route(
                        Method.POST,
                        "/destinations/{id}/enable",
                        Permission.EDIT_CONFIG,
                        dst,
                        "Enable a destination (in a draft).",
                        null,
                        r -> Response.ok(Views.DraftDetail.of(
                                s.destinations().setEnabled(r.principal(), r.path("id"), true, r.draftParam())))),
                route(
                        Method.POST,
                        "/destinations/{id}/disable",
                        Permission.EDIT_CONFIG,
                        dst,
                        "Disable a destination (in a draft).",
                        null,
                        r -> Response.ok(Views.DraftDetail.of(
                                s.destinations().setEnabled(r.principal(), r.path("id"), false, r.draftParam())))),
                route(
                        Method.DELETE,
                        "/destinations/{id}",
                        Permission.EDIT_CONFIG,
                        dst,
                        "Remove a destination (in a draft).",
                        null,
                        r -> Response.ok(Views.DraftDetail.of(
                                s.destinations().remove(r.principal(), r.path("id"), r.draftParam())))),
                route(
                        Method.POST,
                        "/destinations/{id}/test",
                        Permission.EDIT_CONFIG,
                        dst,
                        "Send a synthetic test event (no personal data) to the destination; audited.",
                        null,
                        r -> Response.ok(s.delivery().sendTestEvent(r.principal(), r.path("id")))),
                route(
                        Method.GET,
                        "/delivery",
                        Permission.VIEW_CONFIG,
                        dst,
                        "Delivery status of every destination.",
                        null,
                        r -> Response.ok(s.delivery().status())),
                route(
                        Method.GET,
                        "/destinations/{id}/dead-letters",
                        Permission.VIEW_CONFIG,
                        dst,
                        "Dead letters (ids, types, reasons, times; never contents), oldest first; ?since=ISO-8601&limit=.",
                        null,
                        r -> Response.ok(
                                s.delivery().deadLetters(r.path("id"), since(r), r.queryInt("limit", 100, 1, 1000)))),
                route(
                        Method.GET,
                        "/destinations/{id}/dead-letters/{dl}",
                        Permission.VIEW_RAW,
                        dst,
                        "One dead letter's raw event (privacy officers; every view is audited).",
                        null,
                        r -> Response.text(
                                "application/json",
                                s.delivery().rawDeadLetter(r.principal(), r.path("id"), r.pathLong("dl")))),
                route(
                        Method.POST,
                        "/destinations/{id}/dead-letters/replay",
                        Permission.REPLAY,
                        dst,
                        "Queue dead letters for delivery again (ids, or every failed one when empty); audited.",
                        Body.of(optional("ids", Type.INTEGER_LIST, 10_000, "dead-letter ids (default: all failed)")),
                        r -> Response.ok(
                                Map.of("queued", s.delivery().replay(r.principal(), r.path("id"), r.longs("ids"))))),
                route(
                        Method.GET,
                        "/masking-keys",
                        Permission.VIEW_CONFIG,
                        "keys",
                        "Masking key versions (never the keys).",
                        null,
                        r -> Response.ok(s.maskingKeys().list())),
                route(
                        Method.POST,
                        "/masking-keys/rotate",
                        Permission.ROTATE_KEYS,
                        "keys",
                        "Start a new masking key version for events received from now on; audited.",
                        null,
                        r -> Response.ok(s.maskingKeys().rotate(r.principal()))));
    }

    private static Instant since(Request r) {
        String v = r.query("since");
        if (v == null || v.isEmpty()) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw AdminException.badRequest(
                    "invalid_parameter", "query parameter 'since': expected an ISO-8601 instant");
        }
    }

    private static Map<String, Object> withKey(SourceService.WithKey k) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", Views.SourceView.of(k.source()));
        out.put("writeKey", k.writeKey());
        out.put("snippet", k.snippet());
        return out;
    }

    private static Map<String, Object> connector(ConnectorDescriptor d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", d.type());
        out.put("displayName", d.displayName());
        out.put(
                "settings",
                d.settings().stream()
                        .map(x -> Map.of(
                                "key",
                                x.key(),
                                "description",
                                x.description(),
                                "required",
                                x.required(),
                                "secret",
                                x.secret(),
                                "default",
                                x.defaultValue() == null ? "" : x.defaultValue()))
                        .toList());
        return out;
    }
}
