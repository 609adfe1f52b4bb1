package dev.stagecraft.platform.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into addresses. A seam, so that tests can make a name point anywhere (DNS rebinding) and
 * see which names were looked up, without a DNS server.
 */
@FunctionalInterface
public interface HostResolver {
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    List<InetAddress> resolve(String host) throws UnknownHostException;
}
