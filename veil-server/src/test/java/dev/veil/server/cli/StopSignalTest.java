package dev.veil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.EmbeddedStores;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** serve takes over SIGTERM only while it runs: run in-process (tests), it gives the JVM's handler back. */
class StopSignalTest {

    @Test
    void serve_puts_the_previous_sigterm_handler_back_when_it_returns(@TempDir Path dir) throws Exception {
        Signal term = new Signal("TERM");
        SignalHandler marker = s -> {};
        SignalHandler original = Signal.handle(term, marker);
        try {
            Path config = dir.resolve("veil.yaml");
            Files.writeString(config, "listen:\n  prot: 8080\n"); // invalid: serve returns 1 at once

            int code = VeilCommand.newCommandLine(EmbeddedStores::open).execute("serve", "--config", config.toString());

            assertThat(code).isEqualTo(1);
            assertThat(Signal.handle(term, marker))
                    .as("handler after serve returned")
                    .isSameAs(marker);
        } finally {
            Signal.handle(term, original);
        }
    }
}
