package dev.stagecraft.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.devinfra.TestTokens;

/**
 * Watches a fleet from the outside while a deployment runs, the way a user's load balancer would:
 * every 100 ms it lists the instances and asks each listed address for {@code GET /}. An instance
 * counts as in service only if inventory says IN_SERVICE and it really answers. Bounded: it stops
 * when closed or after {@code maxRun}, whichever comes first.
 */
final class FleetWatcher implements AutoCloseable {
    record Sample(Instant at, int inService, List<String> versions) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = TestTokens.token("fleet-watcher", "viewer");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
    private final String instancesUrl;
    private final List<Sample> samples = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    FleetWatcher(String inventoryUrl, String service, String environment, Duration maxRun) {
        this.instancesUrl = inventoryUrl + "/api/v1/instances?service=" + service + "&environment=" + environment;
        long until = System.nanoTime() + maxRun.toNanos();
        thread = new Thread(() -> {
            while (running.get() && System.nanoTime() < until) {
                sampleOnce();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fleet-watcher");
        thread.start();
    }

    private void sampleOnce() {
        try {
            List<Map<String, Object>> instances = JSON.readValue(get(instancesUrl), new TypeReference<>() {
            });
            int inService = 0;
            List<String> versions = new ArrayList<>();
            for (Map<String, Object> instance : instances) {
                String version = servedVersion((String) instance.get("address"));
                versions.add(version);
                if ("IN_SERVICE".equals(instance.get("state")) && version != null) {
                    inService++;
                }
            }
            synchronized (samples) {
                samples.add(new Sample(Instant.now(), inService, versions));
            }
        } catch (Exception e) {
            // inventory itself did not answer this time: no sample, rather than a wrong one
        }
    }

    /** The version an instance answers with on {@code GET /}, or null if it does not answer. */
    String servedVersion(String address) {
        if (address == null) {
            return null;
        }
        try {
            return (String) JSON.readValue(get("http://" + address + "/"), Map.class).get("version");
        } catch (Exception e) {
            return null;
        }
    }

    private String get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofMillis(500)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        return response.body();
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The fewest instances in service in any sample. */
    int minInService() {
        return samples().stream().mapToInt(Sample::inService).min().orElseThrow();
    }

    /** The first moment after {@code from} at which all {@code size} instances served {@code version} in service. */
    Instant firstAllServing(String version, int size, Instant from) {
        return samples().stream().filter(s -> s.at().isAfter(from) && s.inService() == size
                && s.versions().size() == size && s.versions().stream().allMatch(version::equals))
                .map(Sample::at).findFirst().orElse(null);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5_000);
    }
}
