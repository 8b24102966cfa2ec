package dev.veil.server.ingest;

import static dev.veil.server.config.ByteSize.format;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.jspecify.annotations.Nullable;

/**
 * Reads a request body under hard limits: the bytes on the wire, and for {@code Content-Encoding: gzip} the
 * inflated bytes, which are counted while inflating so a gzip bomb is refused after at most
 * {@code decompressedLimit} bytes of work, never inflated in full.
 */
final class BodyReader {

    private final long decompressedLimit;

    BodyReader(long decompressedLimit) {
        this.decompressedLimit = decompressedLimit;
    }

    /**
     * Returns the (inflated) body, at most {@code limit} bytes.
     *
     * @param what how the limit is named in errors ({@code "batch"}, {@code "message"})
     */
    byte[] read(
            InputStream in,
            @Nullable String contentEncoding,
            @Nullable String contentLengthHeader,
            long limit,
            String what)
            throws IOException {
        long declared = parseLength(contentLengthHeader);
        if (declared > limit) {
            throw ApiException.tooLarge(what + " is " + format(declared) + "; the limit is " + format(limit));
        }
        byte[] wire = declared >= 0 && declared <= EXACT_READ_MAX
                ? readExactly(in, (int) declared)
                : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (wire.length > limit) {
            // Unknown length (chunked): report what we know without reading the rest.
            throw ApiException.tooLarge(what + " is more than " + format(limit) + "; the limit is " + format(limit));
        }
        String encoding =
                contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        return switch (encoding) {
            case "", "identity" -> wire;
            case "gzip", "x-gzip" -> inflate(wire, limit, what);
            default -> throw new ApiException(415, "unsupported_encoding", "Content-Encoding must be gzip or identity");
        };
    }

    /**
     * Bodies up to this size with a Content-Length are read into one array of that size; larger ones grow as they
     * arrive, so that a client declaring a large body and sending little does not make the server allocate it.
     */
    private static final int EXACT_READ_MAX = 64 * 1024;

    /**
     * Reads a body of declared {@code length}: the server's HTTP parser delimits the body by its Content-Length, so
     * exactly that many bytes are read, into an array of that size, without a further read to find the end
     * ({@code readNBytes(int)} allocates an 8 KB buffer, asks again after the last byte, then copies).
     */
    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] body = new byte[length];
        int n = in.readNBytes(body, 0, length);
        return n == length ? body : Arrays.copyOf(body, n);
    }

    private byte[] inflate(byte[] wire, long limit, String what) {
        long cap = Math.max(limit, decompressedLimit);
        byte[] out;
        try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(wire), 8192)) {
            out = gz.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cap + 1));
        } catch (ZipException | java.io.EOFException e) {
            throw ApiException.badRequest("invalid_gzip", "body is not valid gzip (Content-Encoding: gzip)");
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_gzip", "body could not be inflated (Content-Encoding: gzip)");
        }
        if (out.length > decompressedLimit) {
            throw ApiException.tooLarge("gzip body inflates to more than " + format(decompressedLimit)
                    + " (stopped inflating there; " + format(wire.length) + " compressed); the limit is "
                    + format(decompressedLimit));
        }
        if (out.length > limit) {
            throw ApiException.tooLarge(
                    what + " is " + format(out.length) + " after gzip inflation; the limit is " + format(limit));
        }
        return out;
    }

    private static long parseLength(@Nullable String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
