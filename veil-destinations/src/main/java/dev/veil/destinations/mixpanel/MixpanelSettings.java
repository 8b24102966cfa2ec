package dev.veil.destinations.mixpanel;

import dev.veil.destinations.internal.Settings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A Mixpanel destination's settings: either a project token, or a service account (username, secret) with the
 * project id.
 *
 * @param endpoint API base URL ({@code https://api.mixpanel.com}; EU: {@code https://api-eu.mixpanel.com})
 * @param projectId the project id (required with a service account)
 * @param projectToken the project token (secret), used as Basic user with an empty password
 * @param serviceAccountUsername the service account's username
 * @param serviceAccountSecret the service account's secret (secret)
 */
public record MixpanelSettings(
        URI endpoint,
        String projectId,
        String projectToken,
        String serviceAccountUsername,
        String serviceAccountSecret) {

    static final String DEFAULT_ENDPOINT = "https://api.mixpanel.com";

    public MixpanelSettings {
        boolean serviceAccount = !serviceAccountUsername.isEmpty() || !serviceAccountSecret.isEmpty();
        if (serviceAccount
                && (serviceAccountUsername.isEmpty() || serviceAccountSecret.isEmpty() || projectId.isEmpty())) {
            throw new IllegalArgumentException("mixpanel settings 'serviceAccountUsername', 'serviceAccountSecret'"
                    + " and 'projectId' go together");
        }
        if (!serviceAccount && projectToken.isEmpty()) {
            throw new IllegalArgumentException(
                    "mixpanel setting 'projectToken' is required (or a service account with 'projectId')");
        }
    }

    static MixpanelSettings from(String destinationId, Map<String, String> values) {
        Settings s = new Settings("mixpanel", destinationId, values);
        return new MixpanelSettings(
                s.uri("endpoint", DEFAULT_ENDPOINT),
                s.optional("projectId", ""),
                s.optional("projectToken", ""),
                s.optional("serviceAccountUsername", ""),
                s.optional("serviceAccountSecret", ""));
    }

    /** The {@code Authorization} header value. */
    String authorization() {
        String credentials = serviceAccountUsername.isEmpty()
                ? projectToken + ":"
                : serviceAccountUsername + ":" + serviceAccountSecret;
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "MixpanelSettings[endpoint=" + endpoint + ", projectId=" + projectId + ", projectToken=██,"
                + " serviceAccountUsername=" + serviceAccountUsername + ", serviceAccountSecret=██]";
    }
}
