package dev.veil.console.web;

import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The console's first-party assets: its stylesheet and htmx, served from the htmx webjar on the class path (no
 * third-party request, no build step). Read once at start.
 */
public final class Assets {

    public static final String CSS = ConsoleRoutes.BASE + "/assets/console.css";
    public static final String HTMX = ConsoleRoutes.BASE + "/assets/htmx.min.js";

    private final byte[] css;
    private final byte[] htmx;

    public Assets() {
        this.css = read("/dev/veil/console/assets/console.css");
        this.htmx = read("/META-INF/resources/webjars/htmx.org/" + htmxVersion() + "/dist/htmx.min.js");
    }

    /** The htmx version of the webjar on the class path (from its Maven metadata). */
    static String htmxVersion() {
        try (InputStream in =
                Assets.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/htmx.org/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the htmx webjar is missing from the class path");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = Assets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("console asset " + resource + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void mount(JavalinConfig c) {
        c.routes.get(
                CSS,
                ctx -> ctx.header("Cache-Control", "max-age=300")
                        .contentType("text/css; charset=utf-8")
                        .result(css));
        c.routes.get(
                HTMX,
                ctx -> ctx.header("Cache-Control", "max-age=3600")
                        .contentType("text/javascript; charset=utf-8")
                        .result(htmx));
    }
}
