package dev.veil.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The delivery benchmark's baseline: sends {@code events} webhook-shaped events ({@code {"batch":[…]}}, the size
 * of what Veil's webhook connector sends for the bench event) to the sink with the JDK HTTP client over HTTP/1.1,
 * four requests in flight like Veil's delivery worker — no log, no engine, no connector.
 */
final class BareSender {

    private static final int IN_FLIGHT = 4;

    private BareSender() {}

    static BenchCommand.Row send(int port, int events, int batch, BenchCommand.Child sink) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/hook");
        long before = sink.count(port);
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        double cpu0 = ProcessStats.cpuSeconds(sink.pid());
        long t0 = System.nanoTime();
        int failed = 0;
        for (int sent = 0; sent < events; sent += batch) {
            byte[] body = body(sent, Math.min(batch, events - sent));
            inFlight.acquire();
            pending.add(http.sendAsync(
                            HttpRequest.newBuilder(uri)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> inFlight.release()));
        }
        for (CompletableFuture<?> f : pending) {
            try {
                f.join();
            } catch (RuntimeException e) {
                failed++;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long received = sink.count(port) - before;
        return new BenchCommand.Row(
                "bare sender to the same sink",
                received / seconds,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                failed,
                ProcessStats.peakRssKb(sink.pid()) / 1024,
                (ProcessStats.cpuSeconds(sink.pid()) - cpu0) / seconds);
    }

    private static byte[] body(int first, int n) {
        StringBuilder sb = new StringBuilder(n * 400).append("{\"batch\":[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"track\",\"messageId\":\"")
                    .append(String.format("%032x", first + i))
                    .append("\",\"timestamp\":\"2026-11-29T12:00:00Z\",\"event\":\"Appointment Booked\",")
                    .append("\"userId\":\"Zm9vYmFyYmF6cXV4cXV1eGNvcmdl\",\"properties\":{\"service_line\":")
                    .append("\"dermatology\",\"value\":120,\"currency\":\"USD\"},\"context\":{\"page\":{\"path\":")
                    .append("\"/book\",\"title\":\"Book\"},\"locale\":\"en-US\"}}");
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
    }
}
