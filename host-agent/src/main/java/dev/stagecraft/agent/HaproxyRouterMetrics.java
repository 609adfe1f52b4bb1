package dev.stagecraft.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stagecraft.router.PrometheusText;
import dev.stagecraft.router.RouterException;
import dev.stagecraft.router.haproxy.HaproxyFleetTable;
import dev.stagecraft.router.haproxy.HaproxyStatRows;
import java.io.IOException;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} of one HAProxy fleet router, served by its agent on the router's admin port on 127.0.0.1 (where
 * a router process serves its own), under the router process's metric names, from what HAProxy answers at each scrape
 * ({@code show stat}, its map, {@code show servers state}):
 * <ul>
 * <li>{@code stagecraft_router_requests_total{instance,outcome}}: {@code answered} = the slot's HTTP responses
 * (hrsp_*), {@code unreachable} = its connection errors (econ), {@code failed} = its response errors (eresp);
 * {@code unavailable} with instance {@code none} = the requests HAProxy answered 503 itself for want of an instance in
 * service (the frontend's {@code intercepted});</li>
 * <li>no duration histogram (HAProxy keeps none): {@code stagecraft_router_request_duration_average_seconds{instance}},
 * HAProxy's average total time of the slot's last 1024 requests (ttime), and
 * {@code stagecraft_router_response_time_average_seconds{instance}} (rtime, to the answer's headers);</li>
 * <li>{@code stagecraft_router_backend_weight}, {@code stagecraft_router_backend_in_flight} (scur),
 * {@code stagecraft_router_table_generation}, and {@code process_resident_memory_bytes} of the master and its
 * workers.</li>
 * </ul>
 * HAProxy's counters are its current worker's: a hitless reload (a fleet outgrowing its slots) starts them at 0, which
 * Prometheus takes as a counter reset. While the agent is away, the router routes but is not scraped.
 */
final class HaproxyRouterMetrics implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HaproxyRouterMetrics.class);
    private final HttpServer server;

    private HaproxyRouterMetrics(HttpServer server) {
        this.server = server;
    }

    /** Started, or null (logged) when the port cannot be bound: the router routes without metrics. */
    static HaproxyRouterMetrics start(RouterHandle router, HaproxyFleetTable table, LongSupplier masterPid) {
        try {
            HttpServer server = ReadOnlyHttp.start("127.0.0.1", router.adminPort(), "router-metrics-" + router.routerId(),
                    exchange -> handle(exchange, router, table, masterPid));
            return new HaproxyRouterMetrics(server);
        } catch (IOException | RuntimeException e) {
            LOG.error("router {}: cannot serve metrics on 127.0.0.1:{}: {}", router.routerId(), router.adminPort(),
                    e.toString());
            return null;
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void handle(HttpExchange exchange, RouterHandle router, HaproxyFleetTable table,
            LongSupplier masterPid) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/health/live")) {
                ReadOnlyHttp.send(exchange, 200, "text/plain", "live");
            } else if (!path.equals("/metrics")) {
                ReadOnlyHttp.send(exchange, 404, "text/plain", "no such resource: " + path);
            } else {
                try {
                    ReadOnlyHttp.send(exchange, 200, PrometheusText.CONTENT_TYPE, render(router.spec().service(),
                            router.spec().environment(), table, masterPid.getAsLong()));
                } catch (RouterException e) {
                    ReadOnlyHttp.send(exchange, 503, "text/plain", "HAProxy did not answer: " + e.getMessage());
                }
            }
        }
    }

    static String render(String service, String environment, HaproxyFleetTable table, long masterPid) {
        Map<String, Map<String, String>> rows = table.stats();
        HaproxyFleetTable.Routed routed = table.read();
        PrometheusText text = new PrometheusText();
        String requests = "stagecraft_router_requests_total";
        text.family(requests, "counter", "Requests proxied by this router (HAProxy), by backend instance and outcome");
        routed.slots().forEach((id, slot) -> {
            Map<String, String> row = rows.get("slot" + slot);
            long answered = 0;
            for (String column : new String[] {"hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx",
                "hrsp_other"}) {
                answered += HaproxyStatRows.number(row, column);
            }
            text.sample(requests, answered, labels(service, environment, id, "outcome", "answered"));
            text.sample(requests, HaproxyStatRows.number(row, "econ"), labels(service, environment, id, "outcome",
                    "unreachable"));
            text.sample(requests, HaproxyStatRows.number(row, "eresp"), labels(service, environment, id, "outcome",
                    "failed"));
        });
        text.sample(requests, HaproxyStatRows.number(rows.get("FRONTEND"), "intercepted"),
                labels(service, environment, "none", "outcome", "unavailable"));
        gauge(text, "stagecraft_router_request_duration_average_seconds",
                "HAProxy's average time of each backend's last 1024 requests, arrival to end (ttime); no histogram",
                service, environment, routed, rows, "ttime");
        gauge(text, "stagecraft_router_response_time_average_seconds",
                "HAProxy's average time to each backend's answer headers over its last 1024 requests (rtime)",
                service, environment, routed, rows, "rtime");
        text.family("stagecraft_router_backend_weight", "gauge",
                "The weight (0-100) each backend instance is routed by now, read from HAProxy");
        routed.backends().forEach((id, backend) -> text.sample("stagecraft_router_backend_weight", backend.weight(),
                "service", service, "environment", environment, "instance", id, "address", backend.address()));
        text.family("stagecraft_router_backend_in_flight", "gauge", "Requests in flight to each backend instance (scur)");
        routed.slots().forEach((id, slot) -> text.sample("stagecraft_router_backend_in_flight",
                HaproxyStatRows.number(rows.get("slot" + slot), "scur"), labels(service, environment, id)));
        text.family("stagecraft_router_table_generation", "gauge", "The generation of the route table routed now");
        text.sample("stagecraft_router_table_generation", routed.generation(), "service", service, "environment",
                environment);
        long resident = ProcessHandle.of(masterPid).stream().flatMap(p -> java.util.stream.Stream.concat(
                java.util.stream.Stream.of(p), p.children())).mapToLong(p -> PrometheusText.residentBytes(
                        Long.toString(p.pid()))).sum();
        if (resident > 0) {
            text.family("process_resident_memory_bytes", "gauge", "Resident memory of HAProxy's master and workers.");
            text.sample("process_resident_memory_bytes", resident);
        }
        return text.toString();
    }

    private static void gauge(PrometheusText text, String name, String help, String service, String environment,
            HaproxyFleetTable.Routed routed, Map<String, Map<String, String>> rows, String column) {
        text.family(name, "gauge", help);
        routed.slots().forEach((id, slot) -> text.sample(name,
                HaproxyStatRows.number(rows.get("slot" + slot), column) / 1000.0, labels(service, environment, id)));
    }

    private static String[] labels(String service, String environment, String instance, String... more) {
        String[] labels = new String[6 + more.length];
        labels[0] = "service";
        labels[1] = service;
        labels[2] = "environment";
        labels[3] = environment;
        labels[4] = "instance";
        labels[5] = instance;
        System.arraycopy(more, 0, labels, 6, more.length);
        return labels;
    }

    @Override
    public void close() {
        ReadOnlyHttp.stop(server);
    }
}
