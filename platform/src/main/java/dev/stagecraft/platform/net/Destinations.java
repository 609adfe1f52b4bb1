package dev.stagecraft.platform.net;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Decides whether a host's resolved address may be connected to. {@link #PUBLIC_ONLY} is the default for any
 * URL a user chose; callers widen it only for destinations an operator listed explicitly.
 */
@FunctionalInterface
public interface Destinations {
    Destinations PUBLIC_ONLY = (host, address) -> OutboundAddressPolicy.refusal(address);

    /** Why {@code address} (one of {@code host}'s) may not be used, or empty if it may. */
    Optional<String> refusal(String host, InetAddress address);
}
