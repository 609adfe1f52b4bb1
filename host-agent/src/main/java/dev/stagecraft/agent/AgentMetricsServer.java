package dev.stagecraft.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stagecraft.router.PrometheusText;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} ({@link AgentMetrics}) and {@code GET /health/live} on the host's address, the JDK's own HTTP
 * server on one daemon thread. Read-only and without a token, as the services' {@code /q/metrics}. The port is
 * {@code STAGECRAFT_AGENT_METRICS_PORT} (0, the default: a free one) and goes out with every heartbeat, which is
 * how inventory-service lists the agent for Prometheus. A port that cannot be bound leaves the agent without metrics
 * (logged), never without supervision.
 */
final class AgentMetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentMetricsServer.class);

    private final HttpServer server;

    private AgentMetricsServer(HttpServer server) {
        this.server = server;
    }

    /** Started, or null when the port cannot be bound. */
    static AgentMetricsServer start(String address, int port, AgentMetrics metrics) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 8);
            server.setExecutor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "metrics-http");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/", exchange -> handle(exchange, metrics));
            server.start();
            LOG.info("metrics at http://{}:{}/metrics", address, server.getAddress().getPort());
            return new AgentMetricsServer(server);
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot serve metrics on {}:{}: {}; the agent runs without them", address, port, e.toString());
            return null;
        }
    }

    private static void handle(HttpExchange exchange, AgentMetrics metrics) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, "text/plain", "GET only");
            } else if (path.equals("/metrics")) {
                send(exchange, 200, PrometheusText.CONTENT_TYPE, metrics.render());
            } else if (path.equals("/health/live")) {
                send(exchange, 200, "text/plain", "live");
            } else {
                send(exchange, 404, "text/plain", "no such resource: " + path);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
