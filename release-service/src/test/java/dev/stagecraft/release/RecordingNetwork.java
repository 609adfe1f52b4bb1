package dev.stagecraft.release;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.stagecraft.platform.net.Dialer;
import dev.stagecraft.platform.net.HostResolver;
import jakarta.inject.Singleton;

/**
 * The tests' resolver and dialer, in place of the platform's defaults: names under {@code .test} resolve to
 * whatever a test says (and can change, as DNS answers do), other names resolve for real; every connection
 * attempt is recorded, so a test can show that a refused address was never connected to. Tests send nothing
 * beyond 127.0.0.0/8: an attempt to connect anywhere else is recorded and fails here, without a packet sent.
 */
@Singleton
public class RecordingNetwork implements HostResolver, Dialer {
    private final Map<String, List<InetAddress>> names = new ConcurrentHashMap<>();
    private final List<InetSocketAddress> dialed = new CopyOnWriteArrayList<>();

    /** From now on {@code name} resolves to {@code address}. */
    public void point(String name, String address) {
        try {
            names.put(name, List.of(InetAddress.getByName(address))); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Every address connected to (or tried) so far. */
    public List<InetSocketAddress> dialed() {
        return List.copyOf(dialed);
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        List<InetAddress> pointed = names.get(host);
        if (pointed != null) {
            return pointed;
        }
        if (host.endsWith(".test")) {
            throw new UnknownHostException(host);
        }
        return HostResolver.SYSTEM.resolve(host);
    }

    @Override
    public Socket connect(InetSocketAddress address, Duration timeout) throws IOException {
        dialed.add(address);
        if (!address.getAddress().isLoopbackAddress()) {
            throw new java.net.ConnectException("the tests connect to 127.0.0.0/8 only, not " + address);
        }
        return Dialer.PLAIN.connect(address, timeout);
    }
}
