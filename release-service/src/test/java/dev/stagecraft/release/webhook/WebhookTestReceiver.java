package dev.stagecraft.release.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver for tests, on 127.0.0.1 and a free port. Each endpoint has its own secret and
 * checks every request's signature with it, and fails the first {@code failures} attempts of each
 * delivery id with 500 before answering 200 (or fails them all), or answers the first attempt too late.
 */
final class WebhookTestReceiver implements AutoCloseable {
    static final int ALWAYS = Integer.MAX_VALUE;

    /** One request as it arrived, with what the receiver made of it. */
    record Received(String endpoint, String deliveryId, String event, String timestamp, String signature,
            String contentType, String body, boolean signatureValid, int answered) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attemptsByDelivery = new ConcurrentHashMap<>();

    WebhookTestReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    /** Adds an endpoint; answers its URL. */
    String endpoint(String name, String secret, int failures) {
        server.createContext("/" + name, exchange -> handle(exchange, name, secret, failures, 0));
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
    }

    /** An endpoint that holds the first attempt of each delivery for {@code delayMillis}, then answers 200. */
    String slowEndpoint(String name, String secret, long delayMillis) {
        server.createContext("/" + name, exchange -> handle(exchange, name, secret, 0, delayMillis));
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
    }

    List<Received> received(String endpoint) {
        return received.stream().filter(r -> r.endpoint().equals(endpoint)).toList();
    }

    private void handle(HttpExchange exchange, String endpoint, String secret, int failures, long delayFirstMillis)
            throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            var headers = exchange.getRequestHeaders();
            String deliveryId = headers.getFirst(WebhookHeaders.DELIVERY);
            String timestamp = headers.getFirst(WebhookHeaders.TIMESTAMP);
            String signature = headers.getFirst(WebhookHeaders.SIGNATURE);
            boolean valid = timestamp != null && timestamp.matches("\\d{1,12}")
                    && WebhookSignature.verify(secret, Long.parseLong(timestamp), body, signature);
            int attempt = attemptsByDelivery.computeIfAbsent(endpoint + "/" + deliveryId, k -> new AtomicInteger())
                    .incrementAndGet();
            int status = !valid ? 401 : attempt <= failures ? 500 : 200;
            received.add(new Received(endpoint, deliveryId, headers.getFirst(WebhookHeaders.EVENT), timestamp,
                    signature, headers.getFirst("Content-Type"), body, valid, status));
            if (attempt == 1 && delayFirstMillis > 0) {
                sleep(delayFirstMillis); // the sender has given up by now; answering may fail, which is fine
            }
            exchange.sendResponseHeaders(status, -1);
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
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
