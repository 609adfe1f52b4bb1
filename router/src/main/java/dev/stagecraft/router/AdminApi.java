package dev.stagecraft.router;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The router process's admin API, on 127.0.0.1 only and with a bearer token, for its host agent:
 * <ul>
 * <li>{@code GET /health/live}: 200 while the process lives (no token);
 * <li>{@code GET /routes}: the table as routed now, {@code {generation, backends}};
 * <li>{@code PUT /routes} {@code {generation, backends, drainTimeoutMillis}}: makes it the whole table in one change,
 * saved before it is applied; then waits, at most the drain timeout, until no request is in flight to a backend at
 * weight 0, and answers the table with {@code busy}: those that still had requests in flight. An older generation
 * than the one routed changes nothing: 409 with the table routed;
 * <li>{@code GET /metrics}: Prometheus text ({@link RouterExposition}), without a token, as the services'
 * {@code /q/metrics}: it reads, never changes, and Prometheus scrapes it.
 * </ul>
 * The JDK's HTTP server on two threads of its own: a drain waits there, never on the proxy's event loop.
 */
final class AdminApi implements AutoCloseable {
    private final HttpServer server;
    private final byte[] token;
    private final FleetProxy proxy;
    private final RouteTableFile file;
    private final RouterExposition metrics;
    private volatile long generation;

    AdminApi(int port, String token, FleetProxy proxy, RouteTableFile file, CountingOutcomes outcomes,
            long generation) throws IOException {
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.proxy = proxy;
        this.file = file;
        this.metrics = new RouterExposition(proxy, outcomes, () -> this.generation);
        this.generation = generation;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        // Two threads: a scrape of /metrics is not held up by a table change waiting for its drain (PUTs are serial).
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "router-admin");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/health/live")) {
                send(exchange, 200, "text/plain", "live");
            } else if (path.equals("/metrics") && method.equals("GET")) {
                send(exchange, 200, PrometheusText.CONTENT_TYPE, metrics.render());
            } else if (!authorized(exchange)) {
                send(exchange, 401, "text/plain", "a bearer token is needed");
            } else if (path.equals("/routes") && method.equals("GET")) {
                send(exchange, 200, "application/json", current().encode());
            } else if (path.equals("/routes") && method.equals("PUT")) {
                put(exchange);
            } else {
                send(exchange, 404, "text/plain", "no such resource: " + method + " " + path);
            }
        }
    }

    private synchronized void put(HttpExchange exchange) throws IOException {
        RouteTable table;
        long drainMillis;
        try {
            JsonObject body = new JsonObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            table = RouteTable.fromJson(body);
            drainMillis = Math.max(0, body.getLong("drainTimeoutMillis", 0L));
        } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
            send(exchange, 400, "text/plain", "not a route table: " + e.getMessage());
            return;
        }
        if (table.generation() < generation) {
            send(exchange, 409, "application/json", current().encode());
            return;
        }
        // Saved first: what is routed is never newer than what a restart would route.
        file.save(table);
        proxy.replaceAll(table.backends());
        generation = table.generation();
        List<String> atZero = table.backends().entrySet().stream().filter(e -> e.getValue().weight() == 0)
                .map(Map.Entry::getKey).toList();
        Set<String> busy = proxy.awaitIdle(atZero, Duration.ofMillis(drainMillis));
        send(exchange, 200, "application/json", current().put("busy", new JsonArray(List.copyOf(busy))).encode());
    }

    private JsonObject current() {
        return new RouteTable(generation, proxy.backends()).toJson();
    }

    private boolean authorized(HttpExchange exchange) {
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
