package dev.veil.admin.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.admin.AdminException;
import dev.veil.admin.audit.Audit;
import dev.veil.admin.auth.Principal;
import dev.veil.api.ConnectorDescriptor;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.SettingValue;
import dev.veil.store.DraftStore.Draft;
import dev.veil.store.SecretStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Destinations as the API shows and edits them. They live in the policy, so every edit (type, settings, BAA
 * flag, enable/disable, removal) becomes a draft revision that goes through approval like any policy change.
 * Secret settings are write-only: the value goes encrypted into the {@link SecretStore} under
 * {@code destination.<id>.<key>} and the draft references it as {@code ${secret:…}}; no call returns it.
 */
public final class DestinationService {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final PolicyService policies;
    private final DraftService drafts;
    private final SecretStore secrets;
    private final Audit audit;

    public DestinationService(PolicyService policies, DraftService drafts) {
        this.policies = policies;
        this.drafts = drafts;
        this.secrets = policies.secrets();
        this.audit = policies.audit();
    }

    /** A destination as shown: settings with literal values, secret settings only as whether they are set. */
    public record View(
            String id,
            String type,
            String name,
            boolean enabled,
            boolean baa,
            List<String> consent,
            Map<String, Object> settings,
            Map<String, SecretState> secrets) {}

    /** A secret setting's state: its reference and whether it resolves here. Never the value. */
    public record SecretState(String reference, boolean set) {}

    /** What an edit sets; null fields stay as they are. */
    public record Changes(
            @Nullable String type,
            @Nullable String name,
            @Nullable Boolean enabled,
            @Nullable Boolean baa,
            @Nullable Map<String, String> settings) {}

    public List<View> list() {
        return policies.publishedPolicy().destinations().stream()
                .map(this::view)
                .toList();
    }

    public View get(String id) {
        return policies.publishedPolicy()
                .destination(id)
                .map(this::view)
                .orElseThrow(() -> AdminException.notFound("destination '" + id + "' in the published policy"));
    }

    /** The connector types, with their settings descriptors (for forms). */
    public Map<String, ConnectorDescriptor> connectors() {
        return policies.connectors();
    }

    private View view(DestinationPolicy d) {
        Map<String, Object> literal = new TreeMap<>();
        Map<String, SecretState> secret = new TreeMap<>();
        d.settings().forEach((k, v) -> {
            switch (v) {
                case SettingValue.Literal l -> literal.put(k, l.value());
                case SettingValue.Secret s ->
                    secret.put(
                            k,
                            new SecretState(
                                    s.ref().asYaml(),
                                    policies.unresolvedSecrets(single(d, k, s)).isEmpty()));
            }
        });
        return new View(d.id(), d.type(), d.name(), d.enabled(), d.baa(), d.consent(), literal, secret);
    }

    private static Policy single(DestinationPolicy d, String key, SettingValue.Secret s) {
        DestinationPolicy only = new DestinationPolicy(
                d.id(),
                d.type(),
                d.name(),
                d.enabled(),
                d.baa(),
                d.consent(),
                Map.of(key, s),
                d.identity(),
                d.context(),
                d.events(),
                d.properties(),
                d.traits(),
                d.groupTraits());
        return new Policy(1, PolicyService.EMPTY.privacy(), List.of(), List.of(only));
    }

    /** Creates or changes a destination in a draft ({@code draftId}, or a new draft from the published policy). */
    public DraftService.DraftView edit(Principal who, String id, Changes c, @Nullable Long draftId) {
        if (!ID.matcher(id).matches()) {
            throw AdminException.badRequest(
                    "invalid_field", "destination id: expected 1-64 lower-case letters, digits, '-' or '_'");
        }
        return inDraft(who, draftId, "destination " + id + " edited", tree -> {
            ObjectNode d = tree.destinationOrNew(id);
            if (c.type() != null) {
                if (!policies.connectors().containsKey(c.type())) {
                    throw AdminException.badRequest(
                            "invalid_field",
                            "field 'type': unknown connector type; known: "
                                    + policies.connectors().keySet());
                }
                d.put("type", c.type());
            }
            if (!d.has("type")) {
                throw AdminException.badRequest("missing_field", "field 'type' is required for a new destination");
            }
            if (c.name() != null) {
                d.put("name", c.name());
            }
            if (c.enabled() != null) {
                d.put("enabled", c.enabled());
            }
            if (c.baa() != null) {
                d.put("baa", c.baa());
            }
            if (c.settings() != null) {
                ConnectorDescriptor desc =
                        policies.connectors().get(d.path("type").asText());
                ObjectNode settings =
                        d.has("settings") && d.get("settings") instanceof ObjectNode o ? o : d.putObject("settings");
                for (Map.Entry<String, String> e : c.settings().entrySet()) {
                    ConnectorDescriptor.SettingSpec spec =
                            desc == null ? null : desc.setting(e.getKey()).orElse(null);
                    if (spec == null) {
                        throw AdminException.badRequest(
                                "invalid_field",
                                "field 'settings." + e.getKey() + "': not a setting of this connector type");
                    }
                    if (spec.secret()) {
                        throw AdminException.badRequest(
                                "invalid_field",
                                "field 'settings." + e.getKey() + "': a secret; set it with PUT /api/v1/destinations/"
                                        + id + "/secrets/" + e.getKey());
                    }
                    settings.put(e.getKey(), e.getValue());
                }
            }
            return changesDetail(c);
        });
    }

    /** Sets a destination's enabled flag in a draft. */
    public DraftService.DraftView setEnabled(Principal who, String id, boolean enabled, @Nullable Long draftId) {
        return inDraft(who, draftId, "destination " + id + (enabled ? " enabled" : " disabled"), tree -> {
            ObjectNode d = tree.destination(id).orElseThrow(() -> AdminException.notFound("destination '" + id + "'"));
            d.put("enabled", enabled);
            return Map.of("enabled", enabled);
        });
    }

    /** Removes a destination in a draft. */
    public DraftService.DraftView remove(Principal who, String id, @Nullable Long draftId) {
        return inDraft(who, draftId, "destination " + id + " removed", tree -> {
            if (!tree.removeDestination(id)) {
                throw AdminException.notFound("destination '" + id + "'");
            }
            return Map.of("removed", true);
        });
    }

    /**
     * Stores a secret setting's value (encrypted, never returned) and makes the draft reference it. A value
     * changed under a reference the published policy already uses takes effect without a new version.
     */
    public DraftService.DraftView setSecret(
            Principal who, String id, String key, String value, @Nullable Long draftId) {
        String name = "destination." + id + "." + key;
        return inDraft(who, draftId, "secret " + key + " of destination " + id + " set", tree -> {
            ObjectNode d = tree.destination(id).orElseThrow(() -> AdminException.notFound("destination '" + id + "'"));
            ConnectorDescriptor desc = policies.connectors().get(d.path("type").asText());
            if (desc == null || desc.setting(key).map(s -> !s.secret()).orElse(true)) {
                throw AdminException.badRequest(
                        "invalid_field", "secret '" + key + "': not a secret setting of this destination's connector");
            }
            if (value.isEmpty() || value.length() > 4096) {
                throw AdminException.badRequest("invalid_field", "field 'value': must be 1-4096 characters");
            }
            boolean existed = secrets.get(name).isPresent();
            secrets.put(name, value, who.actor());
            ObjectNode settings =
                    d.has("settings") && d.get("settings") instanceof ObjectNode o ? o : d.putObject("settings");
            settings.put(key, "${secret:" + name + "}");
            audit.success(
                    who,
                    "destination.secret_set",
                    "destination:" + id,
                    Audit.changes(existed ? Map.of(key, "old") : Map.of(), Map.of(key, "new"), Set.of(key)));
            return Audit.changes(Map.of(), Map.of(key, "set"), Set.of(key));
        });
    }

    private interface Edit {
        Map<String, ?> apply(PolicyTree tree);
    }

    private DraftService.DraftView inDraft(Principal who, @Nullable Long draftId, String comment, Edit edit) {
        Draft draft = draftId == null
                ? drafts.create(who, null, comment).draft()
                : drafts.openDraft(draftId).orElseThrow();
        PolicyTree tree = PolicyTree.parse(draft.yaml());
        Map<String, ?> detail = edit.apply(tree);
        DraftService.DraftView view = drafts.revise(who, draft.id(), draft.revision(), tree.write(), comment);
        audit.success(who, "destination.edit", "draft:" + draft.id(), detail);
        return view;
    }

    private static Map<String, Object> changesDetail(Changes c) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (c.type() != null) {
            m.put("type", c.type());
        }
        if (c.name() != null) {
            m.put("name", c.name());
        }
        if (c.enabled() != null) {
            m.put("enabled", c.enabled());
        }
        if (c.baa() != null) {
            m.put("baa", c.baa());
        }
        if (c.settings() != null) {
            m.put("settings", new TreeMap<>(c.settings()));
        }
        return m;
    }
}
