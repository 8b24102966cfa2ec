package dev.veil.server.it;

import dev.veil.server.cli.VeilCommand;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code veil serve} in a child JVM on a free loopback port, for the tests that need the real process (lifecycle,
 * crash, retention): with a policy of one source, or on a configuration the test wrote. Closing it kills the process
 * if it still runs.
 */
final class ServeProcess implements AutoCloseable {

    static final String KEY = "serve-process-write-key";

    private final Path dir;
    private final Path log;
    private final int port;
    private final Process process;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServeProcess(Path dir, Path log, int port, Process process) {
        this.dir = dir;
        this.log = log;
        this.port = port;
        this.process = process;
    }

    /** Starts serve with its data in {@code dir/data}; {@code policyExtra} is appended to the policy file. */
    static ServeProcess start(Path dir, String policyExtra) throws IOException {
        int port = freePort();
        Files.writeString(dir.resolve("write.key"), KEY + "\n");
        Files.writeString(
                dir.resolve("policy.yaml"),
                "version: 1\nsources:\n  - id: site\n    name: Site\n    writeKey: ${file:" + dir.resolve("write.key")
                        + "}\n" + policyExtra);
        Path config = dir.resolve("veil.yaml");
        Files.writeString(
                config,
                "listen:\n  host: 127.0.0.1\n  port: " + port + "\ndataDir: data\npolicy: policy.yaml\n"
                        + "management:\n  host: 127.0.0.1\n  port: 0\n");
        return start(config, port);
    }

    /**
     * Starts serve on a configuration a test wrote itself, whose public listener is on {@code port}; it runs in the
     * configuration's folder. Each run writes its output to a log of its own there ({@code veil.log}, then {@code
     * veil-2.log}, …), so a restart keeps what the run before it said.
     */
    static ServeProcess start(Path config, int port) throws IOException {
        Path dir = config.toAbsolutePath().getParent();
        Path log = dir.resolve("veil.log");
        for (int run = 2; Files.exists(log); run++) {
            log = dir.resolve("veil-" + run + ".log");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(
                        java.toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        VeilCommand.class.getName(),
                        "serve",
                        "--config",
                        config.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("VEIL_MASTER_KEY");
        return new ServeProcess(dir, log, port, pb.start());
    }

    int port() {
        return port;
    }

    Process process() {
        return process;
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** The status of {@code GET path} on the public listener; -1 when nothing answers. */
    int get(String path) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * POSTs the JSON {@code body} to {@code path} on the public listener with {@code writeKey} (HTTP Basic) and
     * returns the status; throws when nothing answers (as when the process has died).
     */
    int post(String path, String writeKey, String body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A {@code /v1/batch} body of track calls named {@code event} from user {@code u}, one per message id. */
    static String trackBatch(String event, List<String> messageIds) {
        StringBuilder sb = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < messageIds.size(); i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"")
                    .append(event)
                    .append("\",\"messageId\":\"")
                    .append(messageIds.get(i))
                    .append("\"}");
        }
        return sb.append("]}").toString();
    }

    /** Waits until {@code /readyz} answers 200; fails with the process output if it exits first. */
    void awaitReady(Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("veil exited with " + process.exitValue() + ": " + output());
            }
            if (get("/readyz") == 200) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("veil was not ready within " + timeout + ": " + output());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** A loopback port nothing listens on at the moment. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
