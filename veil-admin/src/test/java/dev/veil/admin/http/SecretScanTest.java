package dev.veil.admin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.admin.AdminHarness;
import dev.veil.admin.AdminHarness.Caller;
import dev.veil.admin.AdminHarness.Exchange;
import dev.veil.admin.auth.Role;
import dev.veil.admin.resources.DeliveryControl;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a whole admin session with known secrets configured (master key, masking key, a destination secret in the
 * environment and one set through the API, passwords, TOTP secrets, write keys, API tokens) and every route,
 * then asserts none of them appears in any response body or header, the audit log or a log line, except the
 * one answer that hands a new key or token to its creator.
 */
class SecretScanTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void no_secret_appears_in_responses_headers_audit_or_logs() throws Exception {
        Path log = Path.of("target/admin-tests.log");
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        Map<String, String> env = Map.of("HOOK_SECRET", "env-hook-secret-CANARY-1");
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("env destination secret", "env-hook-secret-CANARY-1");
        List<Exchange> allowedToShow = new ArrayList<>();
        try (AdminHarness h = new AdminHarness(dir, DeliveryControl.NONE, env)) {
            byte[] master = h.masterKey.bytes();
            secrets.put("master key (base64)", Base64.getEncoder().encodeToString(master));
            secrets.put("master key (hex)", HexFormat.of().formatHex(master));
            byte[] mask = h.config.maskingSecrets().get(0).secret();
            secrets.put("masking key (base64)", Base64.getEncoder().encodeToString(mask));
            secrets.put(
                    "masking key (base64url)",
                    Base64.getUrlEncoder().withoutPadding().encodeToString(mask));
            secrets.put("masking key (hex)", HexFormat.of().formatHex(mask));

            String officer = h.createUser(Role.PRIVACY_OFFICER);
            secrets.put("officer password", AdminHarness.password(officer));
            secrets.put("officer totp secret", h.totpSecret(officer));
            h.clock.advance(java.time.Duration.ofSeconds(30));
            Caller po = h.login(
                    officer,
                    Role.PRIVACY_OFFICER,
                    h.auth().totp().code(h.totpSecret(officer), h.auth().totp().currentStep()));
            allowedToShow.add(h.exchanges.get(h.exchanges.size() - 1));
            secrets.put("officer session cookie", po.cookie());
            Caller owner = h.session(Role.OWNER);
            Caller editor = h.session(Role.EDITOR);

            HttpResponse<String> src = h.post(editor, "/api/v1/sources", "{\"id\":\"web\",\"name\":\"Web\"}");
            allowedToShow.add(h.exchanges.get(h.exchanges.size() - 1));
            secrets.put("write key", JSON.readTree(src.body()).get("writeKey").asText());
            HttpResponse<String> rotated = h.post(editor, "/api/v1/sources/web/rotate-key", null);
            allowedToShow.add(h.exchanges.get(h.exchanges.size() - 1));
            secrets.put(
                    "rotated write key",
                    JSON.readTree(rotated.body()).get("writeKey").asText());
            HttpResponse<String> tok = h.post(owner, "/api/v1/tokens", "{\"name\":\"ci\",\"role\":\"editor\"}");
            allowedToShow.add(h.exchanges.get(h.exchanges.size() - 1));
            String tokenValue = JSON.readTree(tok.body()).get("value").asText();
            secrets.put("api token secret", tokenValue.substring(tokenValue.lastIndexOf('_') + 1));

            String policy = TwoPersonRuleTest.POLICY;
            HttpResponse<String> d =
                    h.post(editor, "/api/v1/drafts", "{\"yaml\":" + JSON.writeValueAsString(policy) + "}");
            long draft = JSON.readTree(d.body()).get("draft").get("id").asLong();
            h.send(
                    editor,
                    "PUT",
                    "/api/v1/destinations/hook/secrets/signingSecret?draft=" + draft,
                    "{\"value\":\"api-set-secret-CANARY-2\"}");
            secrets.put("api-set destination secret", "api-set-secret-CANARY-2");
            h.post(po, "/api/v1/drafts/" + draft + "/approve", "{\"revision\":2}");
            h.post(owner, "/api/v1/drafts/" + draft + "/publish", "{\"revision\":2}");
            h.post(po, "/api/v1/masking-keys/rotate", null);
            h.post(
                    Caller.ANONYMOUS,
                    "/api/v1/auth/login",
                    "{\"username\":\"" + officer + "\",\"password\":\"wrong-" + AdminHarness.password(officer) + "\"}");
            secrets.put("wrong password", "wrong-" + AdminHarness.password(officer));
            var tokenCaller = new Caller(null, null, tokenValue, "t", Role.EDITOR);

            // Every GET route, as the owner, as the officer and with the token.
            for (Route r : h.api.routes()) {
                if (r.method() == Route.Method.GET) {
                    String path = r.path()
                            .replace("{id}", "hook")
                            .replace("{version}", "1")
                            .replace("{dl}", "1")
                            .replace("{username}", officer)
                            .replace("{key}", "signingSecret");
                    if (path.contains("/sources/hook")) {
                        path = path.replace("/sources/hook", "/sources/web");
                    }
                    h.get(owner, path);
                    h.get(po, path);
                    h.get(tokenCaller, path);
                }
            }
            h.services
                    .audit()
                    .log()
                    .read(0, 100_000)
                    .forEach(e -> scan(secrets, "audit entry " + e.seq(), e.toString()));
            synchronized (h.exchanges) {
                for (Exchange e : h.exchanges) {
                    if (allowedToShow.contains(e)) {
                        continue;
                    }
                    scan(secrets, "response to " + e.request(), e.body());
                    scan(secrets, "headers of " + e.request(), e.headers());
                }
            }
            long gets = h.api.routes().stream()
                    .filter(r -> r.method() == Route.Method.GET)
                    .count();
            assertThat(h.exchanges.size())
                    .as("every GET route was called three times")
                    .isGreaterThan((int) (3 * gets));
        }
        byte[] all = Files.readAllBytes(log);
        String lines = new String(
                all,
                (int) Math.min(logStart, all.length),
                (int) (all.length - Math.min(logStart, all.length)),
                StandardCharsets.UTF_8);
        scan(secrets, "log", lines);
    }

    private static void scan(Map<String, String> secrets, String where, String text) {
        secrets.forEach(
                (name, value) -> assertThat(text).as(name + " in " + where).doesNotContain(value));
    }
}
