package dev.stagecraft.sample;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The HTTP server bound to loopback. Port 0 picks a free port; {@link #port()} tells which. */
public final class SampleServer implements AutoCloseable {

    /** Enough workers that injected latency delays requests without queueing them behind each other. */
    static final int WORKER_THREADS = 16;

    private final HttpServer server;
    private final ExecutorService workers;
    private final String instanceId;

    private SampleServer(HttpServer server, ExecutorService workers, String instanceId) {
        this.server = server;
        this.workers = workers;
        this.instanceId = instanceId;
    }

    public static SampleServer start(SampleConfig config) throws IOException {
        // The JDK server leaves Nagle's algorithm on, which holds small responses back ~40 ms; read once,
        // when the first server is created, so it must be set before that.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // Loopback by default: instances are reached through Stagecraft's router, never directly from outside.
        // A host agent gives each simulated host its own loopback address (127.0.0.2, ...) through BIND_ADDRESS.
        HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getByName(config.bindAddress()), config.port()), 0);
        long boundAt = System.nanoTime();
        int port = server.getAddress().getPort();
        String instanceId = config.instanceId().orElseGet(() -> hostname() + ":" + port);

        Metrics metrics = new Metrics(config.version());
        Readiness readiness = new Readiness(config, boundAt);
        server.createContext("/", new Router(Map.of(
                "/", new RootHandler(config, instanceId, metrics, FeatureFlags.fromEnv(System.getenv(), instanceId)),
                "/health/live", HealthHandlers.live(),
                "/health/ready", HealthHandlers.ready(readiness),
                // key functionality for smoke checks: SAMPLE_CART_BROKEN=true breaks it while health stays UP
                "/api/cart", exchange -> Responses.json(exchange, config.cartBroken() ? 500 : 200,
                        config.cartBroken() ? Json.object("error", "the cart is unavailable") : "{\"items\":[]}"),
                "/metrics", exchange -> Responses.send(exchange, 200, Metrics.CONTENT_TYPE, metrics.render()))));

        ExecutorService workers = Executors.newFixedThreadPool(WORKER_THREADS, namedThreads());
        server.setExecutor(workers);
        server.start();
        return new SampleServer(server, workers, instanceId);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String instanceId() {
        return instanceId;
    }

    /**
     * Stops accepting connections and gives in-flight requests up to {@code grace} to finish.
     * On JDK 17 HttpServer.stop waits the whole grace even when idle, so tests pass zero.
     */
    public void stop(Duration grace) {
        int seconds = (int) Math.min(Integer.MAX_VALUE, grace.toSeconds());
        server.stop(seconds);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ZERO);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // Some sandboxes can't resolve their own name; the port still tells instances apart.
            return "localhost";
        }
    }

    private static ThreadFactory namedThreads() {
        AtomicInteger next = new AtomicInteger(1);
        return task -> {
            Thread thread = new Thread(task, "sample-http-" + next.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }
}
