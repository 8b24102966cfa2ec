package dev.veil.core.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Recognizes IP address literals without ever resolving a host name (the engine does no I/O). */
final class IpLiterals {

    private static final Pattern IPV4 =
            Pattern.compile("(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private IpLiterals() {}

    static boolean isIpv4(String s) {
        return IPV4.matcher(s).matches();
    }

    /** Whether {@code s} is a textual IPv6 address (RFC 4291 forms, optional trailing IPv4, no zone). */
    static boolean isIpv6(String s) {
        if (s.length() < 2 || s.length() > 45 || s.indexOf(':') < 0) {
            return false;
        }
        String head = s;
        int groupsForV4 = 0;
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.', lastColon) >= 0) {
            if (!isIpv4(s.substring(lastColon + 1))) {
                return false;
            }
            head = s.substring(0, lastColon + 1) + "0"; // stand-in group; the IPv4 tail counts as two groups
            groupsForV4 = 1;
        }
        int dc = head.indexOf("::");
        if (dc >= 0 && head.indexOf("::", dc + 1) >= 0) {
            return false;
        }
        if (dc < 0) {
            return groupsValid(head) == 8 - groupsForV4;
        }
        String left = head.substring(0, dc);
        String right = head.substring(dc + 2);
        int l = left.isEmpty() ? 0 : groupsValid(left);
        int r = right.isEmpty() ? 0 : groupsValid(right);
        return l >= 0 && r >= 0 && l + r + groupsForV4 <= 7;
    }

    private static int groupsValid(String part) {
        String[] groups = part.split(":", -1);
        for (String g : groups) {
            if (g.isEmpty() || g.length() > 4) {
                return -100;
            }
            for (int i = 0; i < g.length(); i++) {
                if (Character.digit(g.charAt(i), 16) < 0) {
                    return -100;
                }
            }
        }
        return groups.length;
    }

    /** Parses an IP literal; empty for anything else (never a DNS lookup). */
    static Optional<InetAddress> parse(String s) {
        String t = s.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (!isIpv4(t) && !isIpv6(t)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(t)); // a validated literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
