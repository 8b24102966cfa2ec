package dev.veil.server.cli.policy;

import dev.veil.store.StoreException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** Runs a command body and turns its failures into one line on stderr and the documented exit code. */
final class Cli {

    private Cli() {}

    /** The OS user running the command, for the audit log ({@code cli:<user>}). */
    static String osUser() {
        String user = System.getenv("USER");
        return user == null || user.isBlank() ? "cli" : user;
    }

    static int run(CommandSpec spec, Callable<Integer> body) {
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.qualifiedName();
        try {
            return body.call();
        } catch (CliFailure e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return e.exitCode();
        } catch (StoreException e) {
            // Store messages name the operation and file, never stored values.
            err.println(name + ": " + e.getMessage());
            err.flush();
            return CliFailure.STORAGE;
        } catch (UncheckedIOException e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return CliFailure.STORAGE;
        } catch (Exception e) {
            // Unknown failures: the exception type only, since a message could quote input.
            err.println(name + ": failed (" + e.getClass().getSimpleName() + ")");
            err.flush();
            return CliFailure.STORAGE;
        }
    }
}
