package dev.veil.console.ops;

import dev.veil.admin.auth.Permission;
import dev.veil.admin.auth.Principal;
import dev.veil.console.ConsoleParts;
import dev.veil.console.compliance.CompliancePages;
import dev.veil.console.pages.SignInArea;
import dev.veil.console.web.Chrome;
import dev.veil.console.web.ConsoleArea;
import dev.veil.console.web.ConsoleRequest;
import dev.veil.console.web.ConsoleRoutes;
import dev.veil.console.web.Templates;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The operations areas on the console's route table: sources, destinations, live debugger, compliance report,
 * users, API tokens and the audit log. Each route names the permission the dispatcher checks first; the page
 * classes check again (and more finely: a viewer reads destinations but has no forms) and do the work through
 * the admin services.
 */
public final class OpsAreas implements ConsoleArea {

    private static final String B = ConsoleRoutes.BASE;

    private final SourcesPages sources;
    private final DestinationsPages destinations;
    private final DebuggerPages debugger;
    private final CompliancePages compliance;
    private final PeoplePages people;
    private final AuditPage audit;

    public OpsAreas(ConsoleParts parts) {
        OpsContext ops = new OpsContext(parts.services(), new Templates(), parts.recent(), parts.clock());
        this.sources = new SourcesPages(ops);
        this.destinations = new DestinationsPages(ops);
        this.debugger = new DebuggerPages(ops);
        this.compliance = new CompliancePages(ops);
        this.people = new PeoplePages(ops);
        this.audit = new AuditPage(ops);
    }

    @Override
    public void register(ConsoleRoutes r) {
        new Area(r, "sources", "Sources", Permission.VIEW_CONFIG, 50)
                .page("", Permission.VIEW_CONFIG, (q, who, chrome) -> sources.list(who, chrome))
                .action("", Permission.EDIT_CONFIG, (q, who, chrome) -> sources.create(who, chrome, form(q)))
                .action(
                        "/{id}/origins",
                        Permission.EDIT_CONFIG,
                        (q, who, chrome) -> sources.updateOrigins(who, chrome, id(q), form(q)))
                .action("/{id}/rotate", Permission.EDIT_CONFIG, (q, who, chrome) -> sources.rotate(who, chrome, id(q)))
                .action("/{id}/delete", Permission.EDIT_CONFIG, (q, who, chrome) -> sources.delete(who, chrome, id(q)));

        Area destinationsArea = new Area(r, "destinations", "Destinations", Permission.VIEW_CONFIG, 55);
        destinationsArea.page("", Permission.VIEW_CONFIG, (q, who, chrome) -> destinations.list(who, chrome));
        destinationsArea
                .titled(q -> "New destination")
                .page(
                        "/new",
                        Permission.EDIT_CONFIG,
                        (q, who, chrome) -> destinations.newForm(who, chrome, q.query("type", 64)));
        destinationsArea.action(
                "",
                Permission.EDIT_CONFIG,
                (q, who, chrome) -> destinations.save(who, chrome, q.form("id", 64), form(q)));
        destinationsArea
                .titled(q -> "Destination " + id(q))
                .page("/{id}", Permission.VIEW_CONFIG, (q, who, chrome) -> destinations.detail(who, chrome, id(q)))
                .action(
                        "/{id}",
                        Permission.EDIT_CONFIG,
                        (q, who, chrome) -> destinations.save(who, chrome, id(q), form(q)))
                .action(
                        "/{id}/enable",
                        Permission.EDIT_CONFIG,
                        (q, who, chrome) -> destinations.setEnabled(who, chrome, id(q), true))
                .action(
                        "/{id}/disable",
                        Permission.EDIT_CONFIG,
                        (q, who, chrome) -> destinations.setEnabled(who, chrome, id(q), false))
                .action(
                        "/{id}/test",
                        Permission.EDIT_CONFIG,
                        (q, who, chrome) -> destinations.sendTest(who, chrome, id(q)))
                .action(
                        "/{id}/replay",
                        Permission.REPLAY,
                        (q, who, chrome) -> destinations.replay(who, chrome, id(q), form(q)))
                .action(
                        "/{id}/dead-letters/{dl}/reveal",
                        Permission.VIEW_RAW,
                        (q, who, chrome) -> destinations.revealDeadLetter(who, chrome, id(q), q.pathLong("dl")));

        new Area(r, "debugger", "Live debugger", Permission.VIEW_CONFIG, 60)
                .page("", Permission.VIEW_CONFIG, (q, who, chrome) -> debugger.list(who, chrome))
                .page(
                        "/{event}",
                        Permission.VIEW_CONFIG,
                        (q, who, chrome) -> debugger.event(who, chrome, q.pathLong("event")))
                .action(
                        "/{event}/reveal",
                        Permission.VIEW_RAW,
                        (q, who, chrome) -> debugger.reveal(who, chrome, q.pathLong("event")));

        new Area(r, "compliance", "Compliance report", Permission.VIEW_CONFIG, 65)
                .page("", Permission.VIEW_CONFIG, (q, who, chrome) -> compliance.html(who, chrome));
        // The downloads have no page frame (and so take no pending message).
        r.page(B + "/compliance.csv", Permission.VIEW_CONFIG, q -> write(q, compliance.csv(q.who())))
                .page(B + "/compliance.pdf", Permission.VIEW_CONFIG, q -> write(q, compliance.pdf(q.who())));

        new Area(r, "users", "Users", Permission.MANAGE_USERS, 80)
                .page("", Permission.MANAGE_USERS, (q, who, chrome) -> people.users(who, chrome))
                .action(
                        "",
                        Permission.MANAGE_USERS,
                        (q, who, chrome) -> people.invite(who, chrome, form(q), origin(q.ctx())))
                .action(
                        "/{id}",
                        Permission.MANAGE_USERS,
                        (q, who, chrome) -> people.updateUser(who, chrome, id(q), form(q)))
                .action(
                        "/{id}/reset",
                        Permission.MANAGE_USERS,
                        (q, who, chrome) -> people.resetUser(who, chrome, id(q), origin(q.ctx())))
                .action(
                        "/{id}/delete",
                        Permission.MANAGE_USERS,
                        (q, who, chrome) -> people.deleteUser(who, chrome, id(q)));

        new Area(r, "tokens", "API tokens", Permission.MANAGE_TOKENS, 85)
                .page("", Permission.MANAGE_TOKENS, (q, who, chrome) -> people.tokens(who, chrome))
                .action("", Permission.MANAGE_TOKENS, (q, who, chrome) -> people.createToken(who, chrome, form(q)))
                .action(
                        "/{id}/revoke",
                        Permission.MANAGE_TOKENS,
                        (q, who, chrome) -> people.revokeToken(who, chrome, id(q)));

        new Area(r, "audit", "Audit log", Permission.VIEW_AUDIT, 90)
                .page("", Permission.VIEW_AUDIT, (q, who, chrome) -> audit.show(who, chrome, form(q)));
    }

    /** Makes the page of one route from the request, who is asking and the page's frame. */
    @FunctionalInterface
    private interface PageHandler {
        PageResult handle(ConsoleRequest q, Principal who, Chrome chrome) throws Exception;
    }

    /**
     * One navigation area (entry {@code key} at {@code /console/key}) and its routes, registered under its path.
     * Each route asks who is signed in, then builds the page's frame (active entry {@code key}, title the area's
     * label unless {@link #titled} says otherwise), then calls its handler and writes the page it returns.
     */
    private static final class Area {
        private final ConsoleRoutes routes;
        private final String key;
        private final Function<ConsoleRequest, String> title;

        Area(ConsoleRoutes routes, String key, String label, Permission permission, int order) {
            this(routes, key, q -> label);
            routes.nav(key, label, B + "/" + key, permission, order);
        }

        private Area(ConsoleRoutes routes, String key, Function<ConsoleRequest, String> title) {
            this.routes = routes;
            this.key = key;
            this.title = title;
        }

        /** The same area, its pages titled by {@code title} instead of the area's label. */
        Area titled(Function<ConsoleRequest, String> title) {
            return new Area(routes, key, title);
        }

        /** A page (GET) at the area's path followed by {@code path}. */
        Area page(String path, Permission permission, PageHandler handler) {
            routes.page(B + "/" + key + path, permission, serve(handler));
            return this;
        }

        /** A form action (POST) at the area's path followed by {@code path}. */
        Area action(String path, Permission permission, PageHandler handler) {
            routes.action(B + "/" + key + path, permission, serve(handler));
            return this;
        }

        private ConsoleRoutes.Handler serve(PageHandler handler) {
            return q -> {
                Principal who = q.who();
                Chrome chrome = q.chrome(key, title.apply(q));
                write(q, handler.handle(q, who, chrome));
            };
        }
    }

    private static String id(ConsoleRequest q) {
        return q.ctx().pathParam("id");
    }

    /** The query and form values of the request together (form values win). */
    static Form form(ConsoleRequest q) {
        Map<String, List<String>> m = new HashMap<>(q.ctx().queryParamMap());
        if (q.ctx().method().name().equals("POST")) {
            m.putAll(q.ctx().formParamMap());
        }
        return new Form(m);
    }

    /** The console's setup page on the origin the owner reached the console on, for links they hand over. */
    private static String origin(Context ctx) {
        return ctx.scheme() + "://" + ctx.host() + SignInArea.SETUP;
    }

    private static void write(ConsoleRequest q, PageResult p) {
        Context ctx = q.ctx();
        ctx.status(p.status()).contentType(p.contentType());
        p.headers().forEach(ctx::header);
        ctx.result(p.body());
    }
}
