package dev.stagecraft.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stagecraft.router.PrometheusText;
import java.io.IOException;
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
            HttpServer server = ReadOnlyHttp.start(address, port, "metrics-http",
                    exchange -> handle(exchange, metrics));
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
                ReadOnlyHttp.send(exchange, 405, "text/plain", "GET only");
            } else if (path.equals("/metrics")) {
                ReadOnlyHttp.send(exchange, 200, PrometheusText.CONTENT_TYPE, metrics.render());
            } else if (path.equals("/health/live")) {
                ReadOnlyHttp.send(exchange, 200, "text/plain", "live");
            } else {
                ReadOnlyHttp.send(exchange, 404, "text/plain", "no such resource: " + path);
            }
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        ReadOnlyHttp.stop(server);
    }
}
