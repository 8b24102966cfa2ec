package dev.veil.admin.resources;

/** Renders the HTML snippet that installs the browser SDK for a source (the server knows the SDK's URL). */
@FunctionalInterface
public interface InstallSnippet {

    /** The snippet with {@code writeKey} in it (a placeholder when the key is not being shown). */
    String render(String sourceId, String writeKey);

    /** A placeholder snippet for tests and CLI tools. */
    InstallSnippet PLACEHOLDER = (id, key) -> "<!-- Veil SDK for source " + id + " with write key " + key + " -->";
}
