package dev.veil.server.ingest;

import dev.veil.server.config.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds the client IP of a request: the socket peer, unless the peer is a trusted proxy, in which case
 * {@code X-Forwarded-For} is read from the right and the first hop that is not a trusted proxy is the client
 * (entries to its left could be forged by the client). Thread-safe, no DNS lookups.
 */
public final class ClientIpResolver {

    private final List<Cidr> trusted;

    public ClientIpResolver(List<Cidr> trustedProxies) {
        this.trusted = List.copyOf(trustedProxies);
    }

    /** The client IP as text, or null when the peer address is unknown. */
    public @Nullable String resolve(@Nullable String peer, @Nullable String forwardedFor) {
        if (peer != null && (forwardedFor == null || trusted.isEmpty()) && Cidr.isCanonicalIpv4(peer)) {
            return peer; // what the general path below returns for it, without parsing it into an InetAddress
        }
        Optional<InetAddress> peerIp = peer == null ? Optional.empty() : Cidr.parseLiteral(peer);
        if (peerIp.isEmpty()) {
            return peer;
        }
        InetAddress client = peerIp.get();
        if (forwardedFor == null || !isTrusted(client)) {
            return client.getHostAddress();
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            Optional<InetAddress> hop = Cidr.parseLiteral(stripPort(hops[i].trim()));
            if (hop.isEmpty()) {
                break; // a garbled hop: trust nothing further left; the last good hop is the client
            }
            client = hop.get();
            if (!isTrusted(client)) {
                break;
            }
        }
        return client.getHostAddress();
    }

    private boolean isTrusted(InetAddress ip) {
        for (Cidr c : trusted) {
            if (c.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end > 0 ? hop.substring(0, end + 1) : hop;
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && colon == hop.lastIndexOf(':')) {
            return hop.substring(0, colon); // IPv4 with :port
        }
        return hop;
    }
}
