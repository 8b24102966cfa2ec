package dev.veil.server.cli;

import picocli.CommandLine;

/** Prints the version from the jar manifest ({@code dev} when run from classes). */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = VeilCommand.class.getPackage().getImplementationVersion();
        return new String[] {"veil " + (v == null ? "dev" : v), "Java " + Runtime.version()};
    }
}
