package dev.veil.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}); a bare address is a /32 or
 * /128. Only IP literals are accepted: parsing never does a DNS lookup.
 *
 * @param network the network address bytes (4 or 16)
 * @param prefix the prefix length in bits
 */
public record Cidr(byte[] network, int prefix) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public Cidr {
        network = network.clone();
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("network must be 4 or 16 bytes");
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix must be 0.." + network.length * 8 + ", was " + prefix);
        }
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    /** Parses {@code a.b.c.d/n}, {@code v6::/n} or a bare address; throws {@link IllegalArgumentException}. */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        InetAddress ip = parseLiteral(addr)
                .orElseThrow(() -> new IllegalArgumentException("expected an IP network like 10.0.0.0/8 or fd00::/8"));
        int bits = ip.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("prefix length after '/' must be a number 0.." + bits);
            }
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix length must be 0.." + bits + ", was " + prefix);
        }
        return new Cidr(ip.getAddress(), prefix);
    }

    /**
     * Parses an IP literal (IPv4 dotted quad, IPv6, optionally in brackets) without ever resolving a host name;
     * empty when the text is not an IP literal.
     */
    public static Optional<InetAddress> parseLiteral(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        byte[] quad = canonicalIpv4(t);
        if (quad != null) {
            try {
                return Optional.of(InetAddress.getByAddress(quad));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("4 bytes are an IPv4 address", e);
            }
        }
        if (IPV4.matcher(t).matches()) {
            for (String part : t.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return Optional.empty(); // InetAddress would look "999.1.1.1" up as a host name
                }
            }
        } else if (!IPV6.matcher(t).matches() || t.startsWith(".")) {
            return Optional
                    .empty(); // ".1:2" too: InetAddress takes only text starting with a hex digit or ':' as a literal
        }
        try {
            // Safe: the text is an IP literal (checked above), so InetAddress does not consult DNS.
            return Optional.of(InetAddress.getByName(t));
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code text} is an IPv4 address in the form {@link InetAddress#getHostAddress()} writes: four decimal
     * numbers 0 to 255 without leading zeros, nothing else. Such text is its own canonical form.
     */
    public static boolean isCanonicalIpv4(String text) {
        return canonicalIpv4(text) != null;
    }

    /**
     * The bytes of a canonical dotted quad ({@link #isCanonicalIpv4}), else null. The socket's peer address is
     * always one for IPv4 clients, and ingest reads it on every request: no regex, no {@code InetAddress} parsing.
     */
    private static byte @Nullable [] canonicalIpv4(String t) {
        int n = t.length();
        if (n < 7 || n > 15) {
            return null;
        }
        byte[] quad = new byte[4];
        int part = 0;
        int i = 0;
        while (true) {
            int start = i;
            int value = 0;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                value = value * 10 + (t.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && t.charAt(start) == '0')) {
                return null;
            }
            quad[part++] = (byte) value;
            if (part == 4) {
                return i == n ? quad : null;
            }
            if (i >= n || t.charAt(i) != '.') {
                return null;
            }
            i++;
        }
    }

    /** Whether {@code address} lies in this network (an IPv4 address never matches an IPv6 network). */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
