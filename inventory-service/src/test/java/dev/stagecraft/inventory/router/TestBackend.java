package dev.stagecraft.inventory.router;

import dev.stagecraft.router.Backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny instance on 127.0.0.1 for router tests: {@code GET /} answers its name; {@code /echo} answers what
 * it received; {@code /slow?ms=N} answers after N ms; {@code /cut} reads the request and hangs up without
 * an answer; {@code /status/N} answers status N. It counts the requests that reach it.
 */
final class TestBackend implements AutoCloseable {
    static {
        // Without it the JDK's server sends headers and body in two segments, and the body waits ~40 ms for
        // the client's delayed ACK (Nagle): every request would take 40 ms for no reason of the router's.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final String name;
    private final HttpServer server;
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final AtomicInteger hits = new AtomicInteger();

    private TestBackend(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
    }

    static TestBackend start(String name) {
        try {
            return new TestBackend(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An address where nothing listens: connections to it are refused. */
    static String refusingAddress() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    int hits() {
        return hits.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        hits.incrementAndGet();
        byte[] received = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        exchange.getResponseHeaders().add("X-Backend", name);
        if (path.equals("/cut")) {
            // Hangs up after the request arrived: the router must not send it again elsewhere.
            exchange.close();
            return;
        }
        if (path.equals("/slow")) {
            sleep(Long.parseLong(query.replace("ms=", "")));
        }
        int status = path.startsWith("/status/") ? Integer.parseInt(path.substring("/status/".length())) : 200;
        String body = name;
        if (path.equals("/echo")) {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            body = exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + headers + " body="
                    + new String(received, StandardCharsets.UTF_8);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
