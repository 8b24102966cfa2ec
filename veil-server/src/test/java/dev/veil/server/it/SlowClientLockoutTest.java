package dev.veil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.cli.VeilCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reproduces the slow-client lockout of issue 11 against the real {@code veil serve} in a child process whose
 * file-descriptor limit is small (as the reported 1,024): many connections from one address send their request
 * head a byte at a time, more than the process has descriptors for, and then a normal client from another
 * loopback address must still get its batch answered {@code 200}. Before the fix the trickling connections held
 * every descriptor, accept failed with EMFILE and the normal client was never served.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SlowClientLockoutTest {

    private static final String KEY = "lockout-test-write-key";
    private static final int FD_LIMIT = 400;
    private static final int TRICKLERS = 600;

    @TempDir
    Path dir;

    private final List<Socket> tricklers = new ArrayList<>();
    private Process veil;

    @AfterEach
    void stop() throws Exception {
        for (Socket s : tricklers) {
            s.close();
        }
        if (veil != null) {
            veil.destroyForcibly().waitFor();
        }
    }

    @Test
    void a_normal_client_is_served_while_hundreds_of_connections_trickle_their_headers() throws Exception {
        int port = ServeProcess.freePort();
        veil = start(writeConfig(port));
        awaitListening(port);

        // 600 connections from 127.0.0.1 that never finish their request head: more than the process's 400
        // descriptors. Some connects may be refused or reset by the server; that is the defence working.
        for (int i = 0; i < TRICKLERS; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                s.getOutputStream().write("POST /v1/batch HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                tricklers.add(s);
            } catch (IOException e) {
                s.close();
            }
        }
        Thread trickle = Thread.ofPlatform().daemon().start(() -> {
            try {
                for (int round = 0; round < 200; round++) {
                    for (Socket s : tricklers) {
                        try {
                            s.getOutputStream().write('X');
                        } catch (IOException e) {
                            // closed by the server: what the fix does
                        }
                    }
                    Thread.sleep(500);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        // A normal client on another loopback address: served within the header deadline plus slack.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int status = -1;
        while (status != 200 && System.nanoTime() < until) {
            status = postFrom("127.0.0.2", port);
        }
        trickle.interrupt();
        assertThat(status).as("status of a normal client's batch").isEqualTo(200);
        assertThat(veil.isAlive()).isTrue();
    }

    /** One batch over a fresh connection from {@code localAddress}; -1 when it fails or times out. */
    private static int postFrom(String localAddress, int port) {
        String body = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Lockout Test\"}]}";
        String auth = Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8));
        String request = "POST /v1/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + auth
                + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            s.setSoTimeout(3_000);
            s.connect(new InetSocketAddress("127.0.0.1", port), 3_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            String line = new String(head, StandardCharsets.US_ASCII);
            return line.startsWith("HTTP/1.1 ") ? Integer.parseInt(line.substring(9, 12)) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private Path writeConfig(int port) throws IOException {
        Files.writeString(dir.resolve("write.key"), KEY + "\n");
        Files.writeString(
                dir.resolve("policy.yaml"),
                "version: 1\nsources:\n  - id: lockout\n    name: Lockout\n    writeKey: ${file:"
                        + dir.resolve("write.key") + "}\n");
        Path config = dir.resolve("veil.yaml");
        Files.writeString(
                config,
                "listen:\n  host: 127.0.0.1\n  port: " + port + "\ndataDir: data\npolicy: policy.yaml\n"
                        + "management:\n  host: 127.0.0.1\n  port: 0\n"
                        + "http:\n  headerTimeout: 2s\n");
        return config;
    }

    private Process start(Path config) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String command = "ulimit -n " + FD_LIMIT + " && exec '" + java + "' -Xmx256m -cp '"
                + System.getProperty("java.class.path") + "' " + VeilCommand.class.getName() + " serve --config '"
                + config + "'";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("veil.log").toFile());
        pb.environment().remove("VEIL_MASTER_KEY");
        return pb.start();
    }

    private void awaitListening(int port) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            if (!veil.isAlive()) {
                throw new IllegalStateException(
                        "veil exited with " + veil.exitValue() + ": " + Files.readString(dir.resolve("veil.log")));
            }
            if (postFrom("127.0.0.1", port) == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("veil did not answer on port " + port);
    }
}
