package dev.stagecraft.inventory.domain;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import dev.stagecraft.inventory.driver.DriverConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Waits until new instances answer {@code GET /health/ready} with 2xx, before a live scale gives them traffic (a
 * deployment has health-monitor's verdict for that; a scale of a fleet in service has no saga to ask).
 */
@ApplicationScoped
public class InstanceReadiness {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Vertx vertx;
    private final Duration deadline;

    public InstanceReadiness(Vertx vertx, DriverConfig config) {
        this.vertx = vertx;
        this.deadline = config.startTimeout();
    }

    /** By instance id (of {@code addresses}: id → host:port), why each one that did not become ready within the deadline. */
    public Uni<Map<String, String>> awaitReady(Map<String, String> addresses) {
        if (addresses.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return vertx.executeBlocking(() -> {
            Map<String, String> notReady = new TreeMap<>();
            long end = System.nanoTime() + deadline.toNanos();
            addresses.forEach((id, address) -> {
                String last = "no answer";
                while (true) {
                    try {
                        int status = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + address + "/health/ready"))
                                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                        if (status / 100 == 2) {
                            return;
                        }
                        last = "HTTP " + status;
                    } catch (IOException e) {
                        last = e.toString();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        notReady.put(id, "interrupted");
                        return;
                    }
                    if (System.nanoTime() > end) {
                        notReady.put(id, "not ready within " + deadline + " (last answer: " + last + ")");
                        return;
                    }
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        notReady.put(id, "interrupted");
                        return;
                    }
                }
            });
            return notReady;
        }, false);
    }
}
