package dev.stagecraft.platform.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which addresses the platform may send requests to on a user's behalf (artifact downloads, webhooks).
 * Only public unicast addresses: a URL chosen by a user must not reach the platform's own services
 * ({@code 127.0.0.1:8081/q/metrics}), the cloud's metadata service ({@code 169.254.169.254}) or the private
 * network the platform runs in. Callers that were told explicitly to trust a destination skip this check.
 * Pure: no lookups; the caller resolves the name and passes every address it will connect to.
 */
public final class OutboundAddressPolicy {
    /** Four decimal parts 0-255 without leading zeros: the only numeric host form every parser reads alike. */
    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern NUMERIC_LABEL = Pattern.compile("(0x[0-9a-f]*|\\d+)");

    private OutboundAddressPolicy() {
    }

    /** Why {@code address} is not a public destination ("a loopback address", ...), or empty if it is one. */
    public static Optional<String> refusal(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return refusalOfIpv4(b);
        }
        if (address instanceof Inet6Address) {
            return refusalOfIpv6(b);
        }
        return Optional.of("not an IP address");
    }

    public static boolean isPublic(InetAddress address) {
        return refusal(address).isEmpty();
    }

    /**
     * A host written as a number other than a plain dotted quad ({@code 2130706433}, {@code 0177.0.0.1},
     * {@code 0x7f.1}, {@code 127.1}): parsers disagree on what these mean (octal or decimal, how parts pad),
     * so the address one component checks need not be the one another connects to. Such hosts are refused.
     * A name whose last label is a number is no DNS name either (top-level domains are never numeric).
     */
    public static boolean isAmbiguousNumericHost(String host) {
        if (host == null || host.isEmpty() || host.startsWith("[")) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        String last = h.substring(h.lastIndexOf('.') + 1);
        return NUMERIC_LABEL.matcher(last).matches() && !DOTTED_QUAD.matcher(h).matches();
    }

    private static Optional<String> refusalOfIpv4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        if (a0 == 0) {
            return Optional.of("an unspecified address (0.0.0.0/8)");
        }
        if (a0 == 127) {
            return Optional.of("a loopback address");
        }
        if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)) {
            return Optional.of("a private address");
        }
        if (a0 == 100 && a1 >= 64 && a1 <= 127) {
            return Optional.of("a shared (carrier-grade NAT) address");
        }
        if (a0 == 169 && a1 == 254) {
            return Optional.of("a link-local address");
        }
        if (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) {
            return Optional.of("an IETF protocol assignment address (192.0.0.0/24)");
        }
        if (a0 >= 224 && a0 <= 239) {
            return Optional.of("a multicast address");
        }
        if (a0 >= 240) {
            return Optional.of("a reserved or broadcast address");
        }
        return Optional.empty();
    }

    private static Optional<String> refusalOfIpv6(byte[] b) {
        // IPv6 forms that carry an IPv4 address: judged by the IPv4 address they lead to.
        if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return refusalOfIpv4(Arrays.copyOfRange(b, 12, 16)); // ::ffff:a.b.c.d, mapped
        }
        if (isZero(b, 0, 15) && (b[15] == 0 || b[15] == 1)) {
            return Optional.of(b[15] == 0 ? "an unspecified address (::)" : "a loopback address");
        }
        if (isZero(b, 0, 12)) {
            return refusalOfIpv4(Arrays.copyOfRange(b, 12, 16)); // ::a.b.c.d, IPv4-compatible (deprecated)
        }
        if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
                && isZero(b, 4, 12)) {
            return refusalOfIpv4(Arrays.copyOfRange(b, 12, 16)); // 64:ff9b::a.b.c.d, NAT64
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return refusalOfIpv4(Arrays.copyOfRange(b, 2, 6)); // 2002:AABB:CCDD::, 6to4
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if ((first & 0xfe) == 0xfc) {
            return Optional.of("a private (unique local) address");
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return Optional.of("a link-local address");
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return Optional.of("a site-local address");
        }
        if (first == 0xff) {
            return Optional.of("a multicast address");
        }
        return Optional.empty();
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** For tests and callers holding raw bytes. */
    static InetAddress ofBytes(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
