package dev.veil.console.ops;

import dev.veil.admin.auth.Permission;
import dev.veil.console.ConsoleParts;
import dev.veil.console.compliance.CompliancePages;
import dev.veil.console.pages.SignInArea;
import dev.veil.console.web.ConsoleArea;
import dev.veil.console.web.ConsoleRequest;
import dev.veil.console.web.ConsoleRoutes;
import dev.veil.console.web.Templates;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        r.nav("sources", "Sources", B + "/sources", Permission.VIEW_CONFIG, 50)
                .page(
                        B + "/sources",
                        Permission.VIEW_CONFIG,
                        q -> write(q, sources.list(q.who(), chrome(q, "sources", "Sources"))))
                .action(
                        B + "/sources",
                        Permission.EDIT_CONFIG,
                        q -> write(q, sources.create(q.who(), chrome(q, "sources", "Sources"), form(q))))
                .action(
                        B + "/sources/{id}/origins",
                        Permission.EDIT_CONFIG,
                        q -> write(q, sources.updateOrigins(q.who(), chrome(q, "sources", "Sources"), id(q), form(q))))
                .action(
                        B + "/sources/{id}/rotate",
                        Permission.EDIT_CONFIG,
                        q -> write(q, sources.rotate(q.who(), chrome(q, "sources", "Sources"), id(q))))
                .action(
                        B + "/sources/{id}/delete",
                        Permission.EDIT_CONFIG,
                        q -> write(q, sources.delete(q.who(), chrome(q, "sources", "Sources"), id(q))));

        r.nav("destinations", "Destinations", B + "/destinations", Permission.VIEW_CONFIG, 55)
                .page(
                        B + "/destinations",
                        Permission.VIEW_CONFIG,
                        q -> write(q, destinations.list(q.who(), chrome(q, "destinations", "Destinations"))))
                .page(
                        B + "/destinations/new",
                        Permission.EDIT_CONFIG,
                        q -> write(
                                q,
                                destinations.newForm(
                                        q.who(), chrome(q, "destinations", "New destination"), q.query("type", 64))))
                .action(
                        B + "/destinations",
                        Permission.EDIT_CONFIG,
                        q -> write(
                                q,
                                destinations.save(
                                        q.who(), chrome(q, "destinations", "Destinations"), q.form("id", 64), form(q))))
                .page(
                        B + "/destinations/{id}",
                        Permission.VIEW_CONFIG,
                        q -> write(
                                q,
                                destinations.detail(q.who(), chrome(q, "destinations", "Destination " + id(q)), id(q))))
                .action(
                        B + "/destinations/{id}",
                        Permission.EDIT_CONFIG,
                        q -> write(
                                q,
                                destinations.save(
                                        q.who(), chrome(q, "destinations", "Destination " + id(q)), id(q), form(q))))
                .action(
                        B + "/destinations/{id}/enable",
                        Permission.EDIT_CONFIG,
                        q -> write(
                                q,
                                destinations.setEnabled(
                                        q.who(), chrome(q, "destinations", "Destination " + id(q)), id(q), true)))
                .action(
                        B + "/destinations/{id}/disable",
                        Permission.EDIT_CONFIG,
                        q -> write(
                                q,
                                destinations.setEnabled(
                                        q.who(), chrome(q, "destinations", "Destination " + id(q)), id(q), false)))
                .action(
                        B + "/destinations/{id}/test",
                        Permission.EDIT_CONFIG,
                        q -> write(
                                q,
                                destinations.sendTest(
                                        q.who(), chrome(q, "destinations", "Destination " + id(q)), id(q))))
                .action(
                        B + "/destinations/{id}/replay",
                        Permission.REPLAY,
                        q -> write(
                                q,
                                destinations.replay(
                                        q.who(), chrome(q, "destinations", "Destination " + id(q)), id(q), form(q))))
                .action(
                        B + "/destinations/{id}/dead-letters/{dl}/reveal",
                        Permission.VIEW_RAW,
                        q -> write(
                                q,
                                destinations.revealDeadLetter(
                                        q.who(),
                                        chrome(q, "destinations", "Destination " + id(q)),
                                        id(q),
                                        q.pathLong("dl"))));

        r.nav("debugger", "Live debugger", B + "/debugger", Permission.VIEW_CONFIG, 60)
                .page(
                        B + "/debugger",
                        Permission.VIEW_CONFIG,
                        q -> write(q, debugger.list(q.who(), chrome(q, "debugger", "Live debugger"))))
                .page(
                        B + "/debugger/{event}",
                        Permission.VIEW_CONFIG,
                        q -> write(
                                q,
                                debugger.event(q.who(), chrome(q, "debugger", "Live debugger"), q.pathLong("event"))))
                .action(
                        B + "/debugger/{event}/reveal",
                        Permission.VIEW_RAW,
                        q -> write(
                                q,
                                debugger.reveal(q.who(), chrome(q, "debugger", "Live debugger"), q.pathLong("event"))));

        r.nav("compliance", "Compliance report", B + "/compliance", Permission.VIEW_CONFIG, 65)
                .page(
                        B + "/compliance",
                        Permission.VIEW_CONFIG,
                        q -> write(q, compliance.html(q.who(), chrome(q, "compliance", "Compliance report"))))
                .page(B + "/compliance.csv", Permission.VIEW_CONFIG, q -> write(q, compliance.csv(q.who())))
                .page(B + "/compliance.pdf", Permission.VIEW_CONFIG, q -> write(q, compliance.pdf(q.who())));

        r.nav("users", "Users", B + "/users", Permission.MANAGE_USERS, 80)
                .page(
                        B + "/users",
                        Permission.MANAGE_USERS,
                        q -> write(q, people.users(q.who(), chrome(q, "users", "Users"))))
                .action(
                        B + "/users",
                        Permission.MANAGE_USERS,
                        q -> write(q, people.invite(q.who(), chrome(q, "users", "Users"), form(q), origin(q.ctx()))))
                .action(
                        B + "/users/{id}",
                        Permission.MANAGE_USERS,
                        q -> write(q, people.updateUser(q.who(), chrome(q, "users", "Users"), id(q), form(q))))
                .action(
                        B + "/users/{id}/reset",
                        Permission.MANAGE_USERS,
                        q -> write(q, people.resetUser(q.who(), chrome(q, "users", "Users"), id(q), origin(q.ctx()))))
                .action(
                        B + "/users/{id}/delete",
                        Permission.MANAGE_USERS,
                        q -> write(q, people.deleteUser(q.who(), chrome(q, "users", "Users"), id(q))));

        r.nav("tokens", "API tokens", B + "/tokens", Permission.MANAGE_TOKENS, 85)
                .page(
                        B + "/tokens",
                        Permission.MANAGE_TOKENS,
                        q -> write(q, people.tokens(q.who(), chrome(q, "tokens", "API tokens"))))
                .action(
                        B + "/tokens",
                        Permission.MANAGE_TOKENS,
                        q -> write(q, people.createToken(q.who(), chrome(q, "tokens", "API tokens"), form(q))))
                .action(
                        B + "/tokens/{id}/revoke",
                        Permission.MANAGE_TOKENS,
                        q -> write(q, people.revokeToken(q.who(), chrome(q, "tokens", "API tokens"), id(q))));

        r.nav("audit", "Audit log", B + "/audit", Permission.VIEW_AUDIT, 90)
                .page(
                        B + "/audit",
                        Permission.VIEW_AUDIT,
                        q -> write(q, audit.show(q.who(), chrome(q, "audit", "Audit log"), form(q))));
    }

    private static dev.veil.console.web.Chrome chrome(ConsoleRequest q, String key, String title) {
        return q.chrome(key, title);
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
