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
import java.util.concurrent.TimeUnit;

/** {@code veil serve} in a child JVM on a free loopback port, with a policy of one source, for lifecycle tests. */
final class ServeProcess implements AutoCloseable {

    static final String KEY = "serve-process-write-key";

    private final Path dir;
    private final int port;
    private final Process process;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServeProcess(Path dir, int port, Process process) {
        this.dir = dir;
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
                .redirectOutput(dir.resolve("veil.log").toFile());
        pb.environment().remove("VEIL_MASTER_KEY");
        return new ServeProcess(dir, port, pb.start());
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
        return Files.readString(dir.resolve("veil.log"));
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

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
