package dev.veil.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A minimal keep-alive HTTP/1.1 client for one connection: POSTs a JSON body, reads the status and skips the
 * response body ({@code Content-Length} or chunked). Enough for the load generator against Veil, and far
 * cheaper than a general client; reconnects after an error or {@code Connection: close}. Not thread-safe.
 */
final class RawHttpConnection implements AutoCloseable {

    private final InetSocketAddress address;
    private final byte[] head;
    private @Nullable Socket socket;
    private @Nullable OutputStream out;
    private @Nullable InputStream in;
    private boolean closeAfter;

    RawHttpConnection(URI base, String path, String authorization) {
        int port = base.getPort() > 0 ? base.getPort() : 80;
        this.address = new InetSocketAddress(base.getHost(), port);
        this.head = ("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + port + "\r\nAuthorization: "
                        + authorization + "\r\nContent-Type: application/json\r\nContent-Length: ")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends the request and returns the response status once the whole response was read. */
    int post(byte[] body) throws IOException {
        if (socket == null) {
            connect();
        }
        byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head.length + length.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(length, 0, request, head.length, length.length);
        System.arraycopy(body, 0, request, head.length + length.length, body.length);
        out.write(request);
        out.flush();
        int status = readResponse(in);
        if (closeAfter) {
            close();
        }
        return status;
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(address, 5_000);
        socket = s;
        out = s.getOutputStream();
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
    }

    private int readResponse(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line");
        }
        int status = Integer.parseInt(parts[1]);
        long contentLength = -1;
        boolean chunked = false;
        closeAfter = parts[0].equals("HTTP/1.0");
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> {}
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).split(";", 2)[0].trim(), 16);
                    size > 0;
                    size = Long.parseLong(line(in).split(";", 2)[0].trim(), 16)) {
                skip(in, size);
                line(in); // CRLF after the chunk
            }
            while (!line(in).isEmpty()) {
                // trailers
            }
        } else if (contentLength >= 0) {
            skip(in, contentLength);
        } else {
            closeAfter = true; // body delimited by close: not worth reading for a load test
        }
        return status;
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed inside a response body");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            if (b == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) b);
        }
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        out = null;
        in = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing after an error or at the end of the run; nothing to report
            }
        }
    }
}
