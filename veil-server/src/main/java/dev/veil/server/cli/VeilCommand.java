package dev.veil.server.cli;

import dev.veil.server.StoreBackends;
import dev.veil.server.Stores;
import dev.veil.server.cli.policy.KeysCommand;
import dev.veil.server.cli.policy.PolicyCommand;
import dev.veil.server.cli.policy.PreviewCommand;
import dev.veil.server.config.ConfigException;
import dev.veil.server.delivery.cli.DlqCommand;
import dev.veil.server.demo.DemoCommand;
import dev.veil.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code veil} command. Adding a subcommand is one line: its class in {@code subcommands} below.
 *
 * <p>Exit codes: 0 success, 1 invalid input or configuration (the message says what and where), 2 usage
 * error, 3 the store could not be opened or written.
 */
@Command(
        name = "veil",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Veil: self-hosted healthcare privacy platform for analytics events.",
        subcommands = {
            ServeCommand.class,
            DemoCommand.class,
            PolicyCommand.class,
            PreviewCommand.class,
            KeysCommand.class,
            DlqCommand.class,
            dev.veil.server.cli.admin.UsersCommand.class,
            dev.veil.server.cli.admin.AuditCommand.class,
            CommandLine.HelpCommand.class
        })
public final class VeilCommand implements Runnable {

    /** Exit code for invalid configuration or input. */
    public static final int EXIT_INVALID = 1;

    /** Exit code when storage fails. */
    public static final int EXIT_STORE = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Stores.Opener stores;

    /** {@code stores} opens the storage for {@code serve} and {@code demo} (tests pass an in-memory one). */
    public VeilCommand(Stores.Opener stores) {
        this.stores = stores;
    }

    public Stores.Opener stores() {
        return stores;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (serve, demo, ...)");
    }

    public static void main(String[] args) {
        System.exit(newCommandLine(StoreBackends::open).execute(args));
    }

    /** The configured command line (also used by tests). */
    public static CommandLine newCommandLine(Stores.Opener stores) {
        CommandLine cl = new CommandLine(new VeilCommand(stores));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("veil: " + e.getMessage());
                return EXIT_INVALID;
            }
            if (e instanceof StoreException) {
                commandLine.getErr().println("veil: storage failed: " + e.getMessage());
                return EXIT_STORE;
            }
            throw e;
        });
        return cl;
    }
}
