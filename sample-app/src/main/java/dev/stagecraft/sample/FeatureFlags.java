package dev.stagecraft.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The app's feature flags, read through OFREP: when {@code OFREP_ENDPOINT} is set, the bulk endpoint is polled every
 * {@code SAMPLE_FLAG_POLL_MS} (default 1000) with {@code If-None-Match}, the headers of {@code OFREP_HEADERS}
 * ({@code Name=value,Name2=value2}, where Stagecraft puts the instance's token) and the context
 * {@code {"targetingKey": <instance id>}}. Until the first answer, and whenever OFREP cannot be reached, the last
 * known values stay (none at first: every flag is off).
 */
final class FeatureFlags implements AutoCloseable {
    private final URI bulk;
    private final List<String[]> headers;
    private final String context;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService poller;
    private volatile Map<String, Object> values = Map.of();
    private volatile String etag;

    private FeatureFlags(URI bulk, List<String[]> headers, String targetingKey, long pollMillis) {
        this.bulk = bulk;
        this.headers = headers;
        this.context = "{\"context\":{\"targetingKey\":" + Json.quote(targetingKey) + "}}";
        if (bulk == null) {
            this.poller = null;
            return;
        }
        this.poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "sample-flags");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::poll, 0, pollMillis, TimeUnit.MILLISECONDS);
    }

    static FeatureFlags fromEnv(Map<String, String> env, String targetingKey) {
        String endpoint = env.getOrDefault("OFREP_ENDPOINT", "").trim();
        if (endpoint.isEmpty()) {
            return new FeatureFlags(null, List.of(), targetingKey, 0);
        }
        String poll = env.getOrDefault("SAMPLE_FLAG_POLL_MS", "").trim();
        long pollMillis = poll.isEmpty() ? 1000 : Math.max(50, Long.parseLong(poll));
        List<String[]> headers = new java.util.ArrayList<>();
        for (String pair : env.getOrDefault("OFREP_HEADERS", "").split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                headers.add(new String[] {pair.substring(0, eq).trim(), pair.substring(eq + 1).trim()});
            }
        }
        String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return new FeatureFlags(URI.create(base + "/ofrep/v1/evaluate/flags"), headers, targetingKey, pollMillis);
    }

    boolean isOn(String key) {
        return Boolean.TRUE.equals(values.get(key));
    }

    @SuppressWarnings("unchecked")
    void poll() {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(bulk).timeout(Duration.ofSeconds(2))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(context));
            headers.forEach(h -> request.header(h[0], h[1]));
            if (etag != null) {
                request.header("If-None-Match", etag);
            }
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return; // 304: nothing changed; anything else: keep what we know and try again
            }
            Map<String, Object> next = new LinkedHashMap<>();
            Map<String, Object> body = (Map<String, Object>) JsonReader.parse(answer.body());
            for (Object item : (List<Object>) body.getOrDefault("flags", List.of())) {
                Map<String, Object> flag = (Map<String, Object>) item;
                if (flag.containsKey("value") && flag.get("key") instanceof String key) {
                    next.put(key, flag.get("value"));
                }
            }
            values = Map.copyOf(next);
            etag = answer.headers().firstValue("ETag").orElse(null);
        } catch (Exception e) {
            // OFREP away or an answer we cannot read: the flags keep their last values.
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
