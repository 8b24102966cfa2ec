package dev.veil.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Slow and greedy clients against a real Jetty connector guarded by {@link ConnectionGuard}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionGuardTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Socket> sockets = new ArrayList<>();
    private Javalin app;

    @AfterEach
    void close() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (app != null) {
            app.stop();
        }
    }

    private int start(HttpLimits limits) {
        app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.concurrency.useVirtualThreads = true;
            new HardenedListener("public", "127.0.0.1", 0, limits, ip -> false).applyTo(c, registry);
            c.routes.post("/echo", ctx -> ctx.result("got " + ctx.bodyAsBytes().length));
            c.routes.get("/", ctx -> ctx.result("ok"));
        });
        app.start();
        return app.port();
    }

    private static HttpLimits fast() {
        return HttpLimits.defaults()
                .withMaxConnections(1_000)
                .withMaxConnectionsPerIp(1_000)
                .withHeaderTimeout(Duration.ofMillis(600))
                .withBodyTimeout(Duration.ofMillis(1_200));
    }

    @Test
    void a_connection_that_trickles_its_request_head_is_closed_after_the_header_timeout() throws Exception {
        int port = start(fast());
        Socket s = open("127.0.0.1", port);
        long started = System.nanoTime();
        OutputStream out = s.getOutputStream();
        out.write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        boolean closed = false;
        for (int i = 0; i < 100 && !closed; i++) { // one header byte every 100 ms: Jetty's idle timeout never fires
            Thread.sleep(100);
            try {
                out.write('X');
                out.flush();
            } catch (SocketException e) {
                closed = true;
            }
            closed |= closedByServer(s);
        }
        assertThat(closed).as("closed by the server").isTrue();
        // Well before the 30 s idle timeout: it was the head deadline (the bound is loose for a busy machine).
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(counter("veil.http.connections.closed", "header_timeout")).isEqualTo(1);
    }

    @Test
    void a_silent_connection_is_closed_after_the_header_timeout_not_the_idle_timeout() throws Exception {
        int port = start(fast()); // idle timeout stays 30 s
        Socket s = open("127.0.0.1", port);
        s.setSoTimeout(5_000);
        assertThat(s.getInputStream().read()).as("end of stream").isEqualTo(-1);
    }

    @Test
    void a_body_that_keeps_trickling_past_the_body_timeout_is_closed_but_a_slow_answer_is_not() throws Exception {
        int port = start(fast());
        Socket s = open("127.0.0.1", port);
        OutputStream out = s.getOutputStream();
        out.write(
                ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        boolean closed = false;
        for (int i = 0; i < 150 && !closed; i++) {
            Thread.sleep(100);
            try {
                out.write('a');
                out.flush();
            } catch (SocketException e) {
                closed = true;
            }
            closed |= closedByServer(s);
        }
        assertThat(closed).as("closed by the server").isTrue();
        assertThat(counter("veil.http.connections.closed", "body_timeout")).isEqualTo(1);

        // A kept-alive client whose requests are quick is never closed by the deadlines.
        Socket normal = open("127.0.0.1", port);
        for (int i = 0; i < 5; i++) {
            assertThat(post(normal, "hello")).startsWith("HTTP/1.1 200");
            Thread.sleep(300); // idle between requests on the same connection: 1.5 s in all, past both deadlines
        }
    }

    @Test
    void connections_beyond_the_per_address_limit_are_closed_and_other_addresses_still_served() throws Exception {
        int port = start(fast().withMaxConnectionsPerIp(5));
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(open("127.0.0.1", port));
        }
        Socket sixth = open("127.0.0.1", port);
        sixth.setSoTimeout(2_000);
        assertThat(readOrReset(sixth)).as("sixth connection from 127.0.0.1").isEqualTo(-1);
        await().atMost(Duration.ofSeconds(2))
                .until(() -> counter("veil.http.connections.refused", "per_ip_limit") == 1);

        Socket other = open("127.0.0.2", port);
        assertThat(post(other, "x")).startsWith("HTTP/1.1 200");
        assertThat(held).hasSize(5);
    }

    @Test
    void at_the_total_limit_a_new_client_is_served_once_the_trickling_ones_are_cut() throws Exception {
        int port = start(fast().withMaxConnections(20).withMaxConnectionsPerIp(20));
        for (int i = 0; i < 20; i++) {
            Socket s = open("127.0.0.1", port);
            s.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        Socket late = new Socket();
        sockets.add(late);
        late.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
        late.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        late.setSoTimeout(5_000);
        assertThat(post(late, "late")).startsWith("HTTP/1.1 200");
        assertThat(registry.get("veil.http.connections.max").gauge().value()).isEqualTo(20);
    }

    private Socket open(String from, int port) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        s.setSoTimeout(5_000);
        return s;
    }

    private static String post(Socket s, String body) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        String h = head.toString();
        int at = h.indexOf("Content-Length: ");
        int len = Integer.parseInt(h.substring(at + 16, h.indexOf("\r\n", at)).trim());
        in.readNBytes(len);
        return h;
    }

    private static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(1);
        try {
            return s.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    private static int readOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (SocketException e) {
            return -1; // reset: closed by the server as well
        }
    }

    private double counter(String name, String reason) {
        return registry.get(name).tag("reason", reason).counter().count();
    }
}
