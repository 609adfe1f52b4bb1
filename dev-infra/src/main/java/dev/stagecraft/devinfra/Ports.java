package dev.stagecraft.devinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Port helpers. Picking a free port and handing it to a child process is racy: the port is only taken when the child
 * binds it, which for a service starting on two busy cores is half a minute later. Within that window the kernel may
 * hand the same port out again, and did: two services of one test platform were given one port, and the test spoke to
 * the wrong one (a readiness check answered 200 by one service, a request to the other answered 404). So a port is
 * handed out at most once per JVM.
 */
public final class Ports {
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /** A port free on every address right now (children may listen on 0.0.0.0), never handed out before by this JVM. */
    public static int free() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port", e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port that this JVM has not handed out already, after 1,000 tries");
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
