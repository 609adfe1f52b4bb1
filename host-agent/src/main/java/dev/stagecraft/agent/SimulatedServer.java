package dev.stagecraft.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP server of a simulated host, serving every simulated instance: each instance has its own loopback
 * address ({@link SimulatedAddresses}) and they all share this server's port. The server listens on the wildcard
 * address, so a connection to any {@code 127.N.x.y} on that port reaches it, and the connection's local address
 * says which instance was asked. One socket and a few threads serve ten thousand instances (one port per
 * instance would cost a listening socket each, and the JDK's server a thread each). A connection to an address
 * that is no running instance's is closed without an answer, as a port nobody listens on would be refused.
 */
final class SimulatedServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedServer.class);
    /** Enough for injected latency ({@code SAMPLE_LATENCY_MS} sleeps, as in the sample app) not to queue probes. */
    private static final int THREADS = 16;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, SimulatedInstance> byAddress = new ConcurrentHashMap<>();

    private SimulatedServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static SimulatedServer start(int port) {
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "simulation-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 1024);
            SimulatedServer simulated = new SimulatedServer(server, executor);
            server.createContext("/", simulated::handle);
            server.setExecutor(executor);
            server.start();
            LOG.info("simulation: serving simulated instances on port {} of their own loopback addresses",
                    server.getAddress().getPort());
            return simulated;
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("simulation: cannot listen on port " + port, e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    void serve(SimulatedInstance instance) {
        byAddress.put(instance.address(), instance);
    }

    void remove(String address) {
        byAddress.remove(address);
    }

    Optional<SimulatedInstance> at(String address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    int serving() {
        return byAddress.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            SimulatedInstance instance = byAddress.get(exchange.getLocalAddress().getAddress().getHostAddress());
            if (instance == null) {
                return;
            }
            long start = System.nanoTime();
            SimulatedAnswers.Answer answer = instance.answer(exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath());
            if (!answer.answers()) {
                return;
            }
            if (answer.delayMs() > 0) {
                sleep(answer.delayMs());
            }
            if (answer.rootRequest()) {
                instance.recordRootRequest(answer.status(), System.nanoTime() - start);
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
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
        executor.shutdownNow();
    }
}
