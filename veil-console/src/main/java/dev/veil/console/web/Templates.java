package dev.veil.console.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The console's JTE templates, compiled at build time (jte-maven-plugin) into {@code dev.veil.console.jte}, so
 * nothing is compiled at run time and HTML output is escaped by JTE's HTML content type. Thread-safe.
 */
public final class Templates {

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(
            null, ContentType.Html, Templates.class.getClassLoader(), "dev.veil.console.jte");

    /** Renders {@code name} (e.g. {@code matrix.jte}) with its parameters. */
    public String render(String name, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        engine.render(name, params, out);
        return out.toString();
    }
}
