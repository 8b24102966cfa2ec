package dev.veil.server.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.List;

/** Writes the one JSON error shape: {@code {"error": {"code": "...", "message": "..."}}}. */
public final class ErrorResponses {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ErrorResponses() {}

    /** Writes {@code e} as the response. */
    public static void write(Context ctx, ApiException e) {
        write(ctx, e.status(), e.code(), e.getMessage(), e.rejected());
    }

    /** Writes an error response. */
    public static void write(Context ctx, int status, String code, String message) {
        write(ctx, status, code, message, List.of());
    }

    private static void write(Context ctx, int status, String code, String message, List<Rejection> rejected) {
        ObjectNode root = MAPPER.createObjectNode();
        root.putObject("error").put("code", code).put("message", message);
        if (!rejected.isEmpty()) {
            ArrayNode list = root.putArray("rejected");
            for (Rejection r : rejected) {
                list.addObject().put("index", r.index()).put("code", r.code()).put("message", r.message());
            }
        }
        ctx.status(status).contentType("application/json").result(root.toString());
    }
}
