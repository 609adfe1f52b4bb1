package dev.stagecraft.platform.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Locale;
import java.util.Map;

/**
 * An answer whose body is still on the wire. Reading the body keeps to the exchange's limits: it fails with an
 * {@link OutboundRefusedException} past the size limit and with a timeout past the deadline. Close it.
 */
public final class OutboundResponse implements Closeable {
    private final int status;
    private final Map<String, String> headers;
    private final InputStream body;
    private final Socket socket;

    OutboundResponse(int status, Map<String, String> headers, InputStream body, Socket socket) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.socket = socket;
    }

    public int status() {
        return status;
    }

    /** A header's value (names compared case-insensitively), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public InputStream body() {
        return body;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
