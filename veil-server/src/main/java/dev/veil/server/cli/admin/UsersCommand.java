package dev.veil.server.cli.admin;

import dev.veil.admin.AdminException;
import dev.veil.admin.AdminServices;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Role;
import dev.veil.admin.resources.UserService;
import dev.veil.server.cli.policy.CliFailure;
import dev.veil.server.cli.policy.StoreLocation;
import dev.veil.server.cli.policy.Workspace;
import dev.veil.store.AccountStore.User;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code veil users}: admin users from the host, for invitations and recovery (a locked-out owner, a lost second
 * factor). Whoever holds the data directory and its master key holds everything, so these commands act as owner;
 * each is audited as {@code cli:<OS user>}. Passwords are never set here: {@code add} and {@code reset} print a
 * one-time setup link.
 */
@Command(
        name = "users",
        description = "Manage admin users on the host: list, add, reset, unlock, role, disable, enable, remove.",
        mixinStandardHelpOptions = true,
        subcommands = {
            UsersCommand.ListUsers.class,
            UsersCommand.Add.class,
            UsersCommand.Reset.class,
            UsersCommand.Unlock.class,
            UsersCommand.SetRole.class,
            UsersCommand.Disable.class,
            UsersCommand.Enable.class,
            UsersCommand.Remove.class
        })
public final class UsersCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--config",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE",
            description = "The server config (veil.yaml): use the stores it names (storage: sqlite or postgres).")
    @Nullable
    Path config;

    @Option(
            names = "--data-dir",
            scope = ScopeType.INHERIT,
            paramLabel = "DIR",
            description = "Data directory of SQLite stores (default: " + Workspace.DEFAULT_DATA_DIR + ").")
    @Nullable
    Path dataDir;

    @Option(
            names = "--url",
            scope = ScopeType.INHERIT,
            paramLabel = "URL",
            defaultValue = "http://localhost:8080",
            description = "Veil's address, for printed setup links (default: ${DEFAULT-VALUE}).")
    String url;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (list, add, reset, ...)");
    }

    static Principal operator() {
        String user = System.getenv("USER");
        return Principal.cli(user == null || user.isBlank() ? "cli" : user);
    }

    /** Runs {@code body} over the admin services of the data directory; maps refusals to exit code 1. */
    int run(boolean create, BiConsumer<AdminServices, PrintWriter> body) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Workspace ws = Workspace.open(new StoreLocation(config, dataDir), create)) {
            body.accept(ws.services(), out);
            out.flush();
            return 0;
        } catch (AdminException e) {
            err.println("veil users: " + e.getMessage());
            err.flush();
            return 1;
        } catch (CliFailure e) {
            err.println("veil users: " + e.getMessage());
            err.flush();
            return e.exitCode();
        }
    }

    void printLink(PrintWriter out, UserService.Invitation inv) {
        out.println("one-time setup link for " + inv.user().username() + " ("
                + inv.user().role() + "; valid 24 hours, shown only now):");
        out.println("  " + inv.link(url.replaceAll("/+$", "")));
    }

    @Command(name = "list", description = "List users with role and status.")
    static final class ListUsers implements Callable<Integer> {
        @CommandLine.ParentCommand
        UsersCommand parent;

        @Override
        public Integer call() {
            return parent.run(false, (s, out) -> {
                out.printf("%-24s %-16s %-10s %-6s %s%n", "USER", "ROLE", "STATUS", "TOTP", "LOCKED UNTIL");
                for (User u : s.users().list()) {
                    out.printf(
                            "%-24s %-16s %-10s %-6s %s%n",
                            u.username(),
                            u.role(),
                            u.disabled() ? "disabled" : u.hasPassword() ? "active" : "invited",
                            u.hasTotp() ? "yes" : "no",
                            u.lockedUntil() == null ? "-" : u.lockedUntil());
                }
            });
        }
    }

    @Command(name = "add", description = "Invite a user: prints a one-time setup link (never a password).")
    static final class Add implements Callable<Integer> {
        @CommandLine.ParentCommand
        UsersCommand parent;

        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Option(names = "--role", required = true, description = "owner, privacy_officer, editor or viewer")
        String role;

        @Option(names = "--name", description = "Display name.")
        String name = "";

        @Override
        public Integer call() {
            return parent.run(
                    true, (s, out) -> parent.printLink(out, s.users().create(operator(), username, name, role(role))));
        }
    }

    @Command(
            name = "reset",
            description = "Recovery: a new setup link; the old password, second factor and sessions stop working.")
    static final class Reset implements Callable<Integer> {
        @CommandLine.ParentCommand
        UsersCommand parent;

        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() {
            return parent.run(false, (s, out) -> parent.printLink(out, s.users().reset(operator(), username)));
        }
    }

    @Command(name = "unlock", description = "End a login lockout now.")
    static final class Unlock implements Callable<Integer> {
        @CommandLine.ParentCommand
        UsersCommand parent;

        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() {
            return parent.run(false, (s, out) -> {
                s.users().unlock(operator(), username);
                out.println(username + ": unlocked");
            });
        }
    }

    @Command(name = "role", description = "Change a user's role (ends their sessions).")
    static final class SetRole implements Callable<Integer> {
        @CommandLine.ParentCommand
        UsersCommand parent;

        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Parameters(index = "1", paramLabel = "ROLE")
        String role;

        @Override
        public Integer call() {
            return parent.run(false, (s, out) -> {
                User u = s.users().update(operator(), username, null, role(role), null);
                out.println(u.username() + ": role " + u.role());
            });
        }
    }

    @Command(name = "disable", description = "Stop a user from signing in (ends their sessions).")
    static final class Disable implements Callable<Integer> {
        @CommandLine.ParentCommand
        UsersCommand parent;

        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() {
            return parent.run(false, (s, out) -> {
                s.users().update(operator(), username, null, null, true);
                out.println(username + ": disabled");
            });
        }
    }

    @Command(name = "enable", description = "Let a disabled user sign in again.")
    static final class Enable implements Callable<Integer> {
        @CommandLine.ParentCommand
        UsersCommand parent;

        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() {
            return parent.run(false, (s, out) -> {
                s.users().update(operator(), username, null, null, false);
                out.println(username + ": enabled");
            });
        }
    }

    @Command(name = "remove", description = "Delete a user.")
    static final class Remove implements Callable<Integer> {
        @CommandLine.ParentCommand
        UsersCommand parent;

        @Parameters(index = "0", paramLabel = "USERNAME")
        String username;

        @Override
        public Integer call() {
            return parent.run(false, (s, out) -> {
                s.users().delete(operator(), username);
                out.println(username + ": removed");
            });
        }
    }

    static Role role(String wire) {
        return Role.fromWire(wire)
                .orElseThrow(() -> AdminException.badRequest("invalid_field", "role: expected one of " + Role.names()));
    }
}
