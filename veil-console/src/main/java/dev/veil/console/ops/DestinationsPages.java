package dev.veil.console.ops;

import dev.veil.admin.AdminException;
import dev.veil.admin.auth.Permission;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.policy.DestinationService;
import dev.veil.admin.policy.DestinationService.View;
import dev.veil.admin.policy.DraftService.DraftView;
import dev.veil.admin.resources.DeliveryControl.DeadLetterInfo;
import dev.veil.admin.resources.DeliveryControl.DestinationStatus;
import dev.veil.api.ConnectorDescriptor;
import dev.veil.api.ConnectorDescriptor.SettingSpec;
import dev.veil.console.web.Chrome;
import dev.veil.store.DraftStore.Draft;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Destinations: the list with delivery status, and per destination a settings form generated from its connector's
 * {@link ConnectorDescriptor} (secret settings are password fields that are never filled: the page says only
 * whether a value is set), the BAA flag, enable/disable, a test event, dead letters with replay, and — for the
 * privacy-officer role — a dead letter's raw event, audited. Edits go to the person's open draft through
 * {@link DestinationService} (approval before they take effect); delivery actions through the admin
 * {@code DeliveryService}, which audits them.
 */
public final class DestinationsPages {

    /** A destination as listed. */
    public record Row(
            View view,
            String typeName,
            String state,
            long deadLetters,
            @Nullable String problem) {}

    /**
     * One setting of the form.
     *
     * @param spec the connector's description of it
     * @param value the current literal value (or the default for a new destination); always empty for secrets
     * @param secretSet for secrets, whether a value is stored
     */
    public record Field(SettingSpec spec, String value, boolean secretSet) {}

    /**
     * The detail page's model.
     *
     * @param id destination id
     * @param isNew whether it does not exist in the published policy yet
     * @param type connector type
     * @param typeName connector's display name
     * @param name display name
     * @param baa BAA flag
     * @param enabled enabled flag
     * @param fields the settings form
     * @param status delivery status, if delivery runs
     * @param deadLetters recent dead letters, newest last
     * @param queued dead letters queued for replay (the retry queue)
     */
    public record Detail(
            String id,
            boolean isNew,
            String type,
            String typeName,
            String name,
            boolean baa,
            boolean enabled,
            List<Field> fields,
            Optional<DestinationStatus> status,
            List<DeadLetterInfo> deadLetters,
            long queued) {}

    /** A dead letter's raw event, revealed to a privacy officer. */
    public record Raw(long id, String json) {}

    private static final int DEAD_LETTERS_SHOWN = 100;

    private final OpsContext ops;

    public DestinationsPages(OpsContext ops) {
        this.ops = ops;
    }

    private DestinationService destinations() {
        return ops.services().destinations();
    }

    public PageResult list(Principal who, Chrome chrome) {
        OpsContext.require(who, Permission.VIEW_CONFIG);
        return PageResult.html(listPage(who, chrome));
    }

    private String listPage(Principal who, Chrome chrome) {
        Map<String, DestinationStatus> status = statusById();
        Map<String, ConnectorDescriptor> connectors = destinations().connectors();
        List<Row> rows = destinations().list().stream()
                .map(v -> {
                    DestinationStatus s = status.get(v.id());
                    return new Row(
                            v,
                            typeName(connectors, v.type()),
                            s == null ? "not running in this process" : s.state(),
                            s == null ? 0 : s.deadLetters(),
                            s == null ? null : s.problem());
                })
                .toList();
        return ops.render(
                "ops/destinations.jte",
                chrome,
                Map.of(
                        "rows",
                        rows,
                        "connectors",
                        connectors.values().stream()
                                .sorted(Comparator.comparing(ConnectorDescriptor::displayName))
                                .toList(),
                        "canEdit",
                        who.may(Permission.EDIT_CONFIG)));
    }

    /** The form for a new destination of {@code type}. */
    public PageResult newForm(Principal who, Chrome chrome, String type) {
        try {
            OpsContext.require(who, Permission.EDIT_CONFIG);
            ConnectorDescriptor d = Optional.ofNullable(
                            destinations().connectors().get(type))
                    .orElseThrow(() -> AdminException.notFound("connector type '" + type + "'"));
            List<Field> fields = d.settings().stream()
                    .map(s -> new Field(s, s.secret() ? "" : nullToEmpty(s.defaultValue()), false))
                    .toList();
            Detail detail = new Detail(
                    "", true, type, d.displayName(), "", false, true, fields, Optional.empty(), List.of(), 0);
            return PageResult.html(detailPage(who, chrome, detail, null));
        } catch (AdminException e) {
            return PageResult.html(
                    e.status(), listPage(who, chrome.withNotice(new Chrome.Notice(e.getMessage(), true))));
        }
    }

    public PageResult detail(Principal who, Chrome chrome, String id) {
        OpsContext.require(who, Permission.VIEW_CONFIG);
        return PageResult.html(detailPage(who, chrome, detail(id), null));
    }

    private Detail detail(String id) {
        View v = destinations().get(id);
        ConnectorDescriptor d = destinations().connectors().get(v.type());
        List<Field> fields = new ArrayList<>();
        if (d != null) {
            for (SettingSpec s : d.settings()) {
                if (s.secret()) {
                    DestinationService.SecretState st = v.secrets().get(s.key());
                    fields.add(new Field(s, "", st != null && st.set()));
                } else {
                    Object value = v.settings().get(s.key());
                    fields.add(new Field(s, value == null ? "" : String.valueOf(value), false));
                }
            }
        }
        List<DeadLetterInfo> letters = ops.services().delivery().deadLetters(id, Instant.EPOCH, 10_000);
        long queued = letters.stream().filter(l -> l.status().equals("queued")).count();
        List<DeadLetterInfo> recent = letters.subList(Math.max(0, letters.size() - DEAD_LETTERS_SHOWN), letters.size());
        return new Detail(
                v.id(),
                false,
                v.type(),
                typeName(destinations().connectors(), v.type()),
                v.name(),
                v.baa(),
                v.enabled(),
                fields,
                Optional.ofNullable(statusById().get(id)),
                List.copyOf(recent),
                queued);
    }

    /**
     * Saves the form into the person's open draft: name, BAA, enabled, the non-secret settings, and each secret
     * field that was filled in (empty secret fields keep the stored value).
     */
    public PageResult save(Principal who, Chrome chrome, String id, Form form) {
        return act(who, chrome, id, Permission.EDIT_CONFIG, () -> {
            boolean isNew = form.checked("new");
            String type = isNew ? form.get("type") : destinations().get(id).type();
            ConnectorDescriptor d = destinations().connectors().get(type);
            if (d == null) {
                throw AdminException.badRequest("invalid_field", "field 'type': unknown connector type");
            }
            Map<String, String> settings = new LinkedHashMap<>();
            for (SettingSpec s : d.settings()) {
                String v = form.get("setting." + s.key());
                if (!s.secret() && !v.isEmpty()) {
                    settings.put(s.key(), v);
                }
            }
            DraftView draft = destinations()
                    .edit(
                            who,
                            id,
                            new DestinationService.Changes(
                                    isNew ? type : null,
                                    form.get("name").isEmpty() ? null : form.get("name"),
                                    form.checked("enabled"),
                                    form.checked("baa"),
                                    settings),
                            myOpenDraft(who));
            for (SettingSpec s : d.settings()) {
                String v = form.raw("secret." + s.key());
                if (s.secret() && !v.isEmpty()) {
                    draft = destinations()
                            .setSecret(who, id, s.key(), v, draft.draft().id());
                }
            }
            return savedNotice(draft);
        });
    }

    public PageResult setEnabled(Principal who, Chrome chrome, String id, boolean enabled) {
        return act(
                who,
                chrome,
                id,
                Permission.EDIT_CONFIG,
                () -> savedNotice(destinations().setEnabled(who, id, enabled, myOpenDraft(who))));
    }

    public PageResult sendTest(Principal who, Chrome chrome, String id) {
        return act(who, chrome, id, Permission.EDIT_CONFIG, () -> {
            var r = ops.services().delivery().sendTestEvent(who, id);
            return new Chrome.Notice(
                    (r.delivered() ? "Test event delivered" : "Test event not delivered")
                            + (r.status() > 0 ? " (HTTP " + r.status() + ")" : "") + ": " + r.message(),
                    !r.delivered());
        });
    }

    public PageResult replay(Principal who, Chrome chrome, String id, Form form) {
        return act(who, chrome, id, Permission.REPLAY, () -> {
            List<Long> ids = new ArrayList<>();
            for (String s : form.all("dl")) {
                try {
                    ids.add(Long.parseLong(s));
                } catch (NumberFormatException e) {
                    throw AdminException.badRequest("invalid_field", "field 'dl': not a dead-letter id");
                }
            }
            if (form.checked("all")) {
                ids.clear();
            } else if (ids.isEmpty()) {
                throw AdminException.badRequest(
                        "missing_field", "select the dead letters to replay, or choose to replay every failed one");
            }
            int queued = ops.services().delivery().replay(who, id, ids);
            return new Chrome.Notice(
                    queued + " dead letter" + (queued == 1 ? "" : "s") + " queued for delivery.", false);
        });
    }

    /** A dead letter's raw event: privacy officers only, audited by the delivery service. */
    public PageResult revealDeadLetter(Principal who, Chrome chrome, String id, long deadLetter) {
        try {
            OpsContext.require(who, Permission.VIEW_RAW);
            String json = ops.services().delivery().rawDeadLetter(who, id, deadLetter);
            return PageResult.once(detailPage(
                    who,
                    chrome.withNotice(new Chrome.Notice(
                            "You are viewing raw event data; this view was recorded in the audit log.", false)),
                    detail(id),
                    new Raw(deadLetter, pretty(json))));
        } catch (AdminException e) {
            return error(who, chrome, id, e);
        }
    }

    private interface Action {
        Chrome.Notice run();
    }

    private PageResult act(Principal who, Chrome chrome, String id, Permission p, Action action) {
        try {
            OpsContext.require(who, p);
            Chrome.Notice n = action.run();
            return PageResult.html(n.bad() ? 502 : 200, pageAfter(who, chrome.withNotice(n), id));
        } catch (AdminException e) {
            return error(who, chrome, id, e);
        }
    }

    private PageResult error(Principal who, Chrome chrome, String id, AdminException e) {
        return PageResult.html(
                e.status(), pageAfter(who, chrome.withNotice(new Chrome.Notice(e.getMessage(), true)), id));
    }

    private String pageAfter(Principal who, Chrome chrome, String id) {
        try {
            return detailPage(who, chrome, detail(id), null);
        } catch (AdminException notPublished) {
            return listPage(who, chrome);
        }
    }

    private Chrome.Notice savedNotice(DraftView d) {
        return new Chrome.Notice(
                "Saved to draft " + d.draft().id() + " (revision " + d.draft().revision()
                        + "). It takes effect when a privacy officer approves it and it is published.",
                false);
    }

    /** The newest open draft this person edited, so successive edits collect in one draft; null for a new one. */
    private @Nullable Long myOpenDraft(Principal who) {
        return ops.services().drafts().list(true).stream()
                .filter(d -> d.editors().contains(who.who()))
                .max(Comparator.comparingLong(Draft::id))
                .map(Draft::id)
                .orElse(null);
    }

    private String detailPage(Principal who, Chrome chrome, Detail d, @Nullable Raw raw) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("d", d);
        params.put("canEdit", who.may(Permission.EDIT_CONFIG));
        params.put("canReplay", who.may(Permission.REPLAY));
        params.put("canViewRaw", who.may(Permission.VIEW_RAW));
        params.put("raw", Optional.ofNullable(raw));
        return ops.render("ops/destination.jte", chrome, params);
    }

    private Map<String, DestinationStatus> statusById() {
        Map<String, DestinationStatus> m = new LinkedHashMap<>();
        ops.services().delivery().status().forEach(s -> m.put(s.id(), s));
        return m;
    }

    private static String typeName(Map<String, ConnectorDescriptor> connectors, String type) {
        return Optional.ofNullable(connectors.get(type))
                .map(ConnectorDescriptor::displayName)
                .orElse(type);
    }

    private static String nullToEmpty(@Nullable String s) {
        return s == null ? "" : s;
    }

    private static final Function<String, String> PRETTY = json -> {
        try {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return json;
        }
    };

    private static String pretty(String json) {
        return PRETTY.apply(json);
    }
}
