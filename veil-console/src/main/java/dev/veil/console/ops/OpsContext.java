package dev.veil.console.ops;

import dev.veil.admin.AdminException;
import dev.veil.admin.AdminServices;
import dev.veil.admin.auth.Permission;
import dev.veil.admin.auth.Principal;
import dev.veil.console.traffic.RecentEvents;
import dev.veil.console.web.Chrome;
import dev.veil.console.web.Templates;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * What the operations pages share: the admin services, the templates, the debugger's ring of recent events and
 * the clock. Thread-safe.
 */
public record OpsContext(AdminServices services, Templates templates, RecentEvents recent, Clock clock) {

    /** Refuses with 403 unless {@code who} has {@code p}; the message names the role, never data. */
    public static void require(Principal who, Permission p) {
        if (!who.may(p)) {
            throw AdminException.forbidden("the " + who.role().wire() + " role may not do this (needs "
                    + p.name().toLowerCase() + ")");
        }
    }

    /** Renders {@code template} with {@code chrome} and the given parameters. */
    public String render(String template, Chrome chrome, Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("chrome", chrome);
        return templates.render(template, all);
    }
}
