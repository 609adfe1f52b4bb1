package dev.stagecraft.platform.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Opens TCP connections to addresses that were already checked. A seam, so that tests can see every attempt. */
@FunctionalInterface
public interface Dialer {
    Dialer PLAIN = (address, timeout) -> {
        Socket socket = new Socket();
        try {
            socket.connect(address, (int) Math.max(1, timeout.toMillis()));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    };

    Socket connect(InetSocketAddress address, Duration timeout) throws IOException;
}
