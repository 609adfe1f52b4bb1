package dev.stagecraft.devinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback port helpers. Picking a free port then handing it to a child process is racy, but good enough for one machine. */
final class Ports {
    private Ports() {
    }

    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    static boolean isFree(int port) {
        if (port <= 0 || port > 65535) {
            return false;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The port to listen on: {@code requested} if non-zero (and it must be free), else {@code previous}
     * if still free (so a restarted local platform keeps its addresses), else any free port.
     */
    static int choose(int requested, int previous, String what) {
        if (requested > 0) {
            if (!isFree(requested)) {
                throw new IllegalStateException(what + " port " + requested + " is already in use");
            }
            return requested;
        }
        return isFree(previous) ? previous : free();
    }
}
