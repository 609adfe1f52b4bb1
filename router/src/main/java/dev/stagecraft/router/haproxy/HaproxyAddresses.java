package dev.stagecraft.router.haproxy;

import dev.stagecraft.router.RouterException;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Instance addresses as HAProxy takes them. Its runtime API sets a server's address only as an IP (names
 * need a resolvers section), so a host name is resolved here once; IPv6 needs brackets in the config file.
 */
public final class HaproxyAddresses {
    private HaproxyAddresses() {
    }

    /** The IP of {@code host}, as text HAProxy accepts after {@code addr}. */
    public static String ip(String host) {
        try {
            return InetAddress.getByName(unbracketed(host)).getHostAddress();
        } catch (UnknownHostException e) {
            throw new RouterException("cannot resolve instance host " + host + ": " + e.getMessage(), e);
        }
    }

    /** {@code ip:port} for a {@code server} line of the config file. */
    public static String serverAddress(String ip, int port) {
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
    }

    /** Whether two hosts are the same IP, however each is written ({@code ::1} and {@code 0:0:0:0:0:0:0:1}). */
    public static boolean sameHost(String a, String b) {
        try {
            return InetAddress.getByName(unbracketed(a)).equals(InetAddress.getByName(unbracketed(b)));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
