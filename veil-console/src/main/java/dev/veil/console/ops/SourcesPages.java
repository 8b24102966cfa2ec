package dev.veil.console.ops;

import dev.veil.admin.AdminException;
import dev.veil.admin.auth.Permission;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.resources.SourceService;
import dev.veil.console.web.Chrome;
import dev.veil.store.ConfigStore.Source;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Sources: the list with allowed origins and the install snippet (a placeholder instead of the key, which is
 * never readable again), create, change origins, rotate the write key (shown once, on a page that is not
 * cached), delete. Everything goes through {@link SourceService}, which validates and audits.
 */
public final class SourcesPages {

    /** A source as listed, with its snippet (placeholder key). */
    public record Row(Source source, String snippet) {}

    /** A write key being shown once, with the snippet that carries it. */
    public record Shown(String sourceId, String writeKey, String snippet, boolean rotated) {}

    private final OpsContext ops;

    public SourcesPages(OpsContext ops) {
        this.ops = ops;
    }

    public PageResult list(Principal who, Chrome chrome) {
        OpsContext.require(who, Permission.VIEW_CONFIG);
        return PageResult.html(page(who, chrome, null, null));
    }

    public PageResult create(Principal who, Chrome chrome, Form form) {
        return act(who, chrome, () -> {
            var k = ops.services().sources().create(who, form.get("id"), form.get("name"), form.lines("origins"));
            return new Shown(k.source().id(), k.writeKey(), k.snippet(), false);
        });
    }

    public PageResult rotate(Principal who, Chrome chrome, String id) {
        return act(who, chrome, () -> {
            var k = ops.services().sources().rotateKey(who, id);
            return new Shown(id, k.writeKey(), k.snippet(), true);
        });
    }

    public PageResult updateOrigins(Principal who, Chrome chrome, String id, Form form) {
        return act(who, chrome, () -> {
            ops.services().sources().update(who, id, form.orNull("name"), form.lines("origins"));
            return null;
        });
    }

    public PageResult delete(Principal who, Chrome chrome, String id) {
        return act(who, chrome, () -> {
            ops.services().sources().delete(who, id);
            return null;
        });
    }

    private PageResult act(Principal who, Chrome chrome, Supplier<@Nullable Shown> action) {
        try {
            OpsContext.require(who, Permission.EDIT_CONFIG);
            Shown shown = action.get();
            if (shown != null) {
                return PageResult.once(page(who, chrome, shown, null));
            }
            return PageResult.html(page(who, chrome.withNotice(new Chrome.Notice("Saved.", false)), null, null));
        } catch (AdminException e) {
            return PageResult.html(e.status(), page(who, chrome, null, e.getMessage()));
        }
    }

    private String page(Principal who, Chrome chrome, @Nullable Shown shown, @Nullable String error) {
        Chrome c = error == null ? chrome : chrome.withNotice(new Chrome.Notice(error, true));
        SourceService s = ops.services().sources();
        List<Row> rows =
                s.list().stream().map(src -> new Row(src, s.snippet(src.id()))).toList();
        return ops.render(
                "ops/sources.jte",
                c,
                Map.of(
                        "rows",
                        rows,
                        "canEdit",
                        who.may(Permission.EDIT_CONFIG),
                        "shown",
                        java.util.Optional.ofNullable(shown),
                        "placeholder",
                        SourceService.KEY_PLACEHOLDER));
    }
}
