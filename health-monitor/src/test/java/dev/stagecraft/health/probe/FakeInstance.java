package dev.stagecraft.health.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A real HTTP server on a free loopback port that answers the health endpoints as a test tells it to. */
public final class FakeInstance implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger liveStatus = new AtomicInteger(200);
    private final AtomicInteger readyStatus = new AtomicInteger(200);
    private final AtomicInteger readyFailuresLeft = new AtomicInteger();
    private final AtomicInteger readyRequests = new AtomicInteger();
    private volatile long answerDelayMs;
    /** The clients' ends of the connections the requests came on: one per connection. */
    private final java.util.Set<java.net.InetSocketAddress> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private FakeInstance() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/health/live", exchange -> answer(exchange, liveStatus.get()));
        server.createContext("/health/ready", exchange -> {
            readyRequests.incrementAndGet();
            boolean stillFailing = readyFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            answer(exchange, stillFailing ? 503 : readyStatus.get());
        });
        server.start();
    }

    public static FakeInstance healthy() {
        return new FakeInstance();
    }

    public static FakeInstance notReady() {
        return healthy().readyStatus(503);
    }

    public FakeInstance readyStatus(int status) {
        readyStatus.set(status);
        return this;
    }

    public FakeInstance liveStatus(int status) {
        liveStatus.set(status);
        return this;
    }

    /** Readiness answers 503 this many times before it answers as configured. */
    public FakeInstance readyAfter(int failures) {
        readyFailuresLeft.set(failures);
        return this;
    }

    public FakeInstance answerDelayMs(long millis) {
        answerDelayMs = millis;
        return this;
    }

    public int readyRequests() {
        return readyRequests.get();
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many connections the requests so far came on. */
    public int connections() {
        return connections.size();
    }

    private void answer(HttpExchange exchange, int status) throws IOException {
        connections.add(exchange.getRemoteAddress());
        try (exchange) {
            if (answerDelayMs > 0) {
                Thread.sleep(answerDelayMs);
            }
            exchange.sendResponseHeaders(status, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
