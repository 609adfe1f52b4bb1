package dev.stagecraft.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.devinfra.DebianPackages;
import dev.stagecraft.devinfra.TestTokens;

/**
 * A real Prometheus and a real Alertmanager (Debian's packages) beside an e2e platform, configured from
 * deploy/observability exactly as deploy/local/up renders it (127.0.0.1 and the platform's ports), with shorter
 * intervals so that a test sees in seconds what takes minutes in production:
 * <ul>
 * <li>every {@code scrape_interval} {@value #SCRAPE}, {@code evaluation_interval} {@value #EVALUATION}, every
 * discovery {@code refresh_interval} {@value #SCRAPE};</li>
 * <li>the alert rules copied with every {@code for:} set to {@value #ALERT_FOR} (the rules' expressions unchanged).</li>
 * </ul>
 * Alertmanager's configuration is used as shipped, pointed at the platform's release-service with the receiver
 * token of {@link #platformSettings()}. Started after the platform, stopped before it ({@link #close()}): no process
 * outlives the test run.
 */
final class PrometheusStack implements AutoCloseable {
    static final String SCRAPE = "2s";
    static final String EVALUATION = "1s";
    static final String ALERT_FOR = "5s";
    static final String RECEIVER = "e2e-alertmanager";
    /** The token Alertmanager sends to release-service's receiver: random per test run, 64 hex characters. */
    private static final String RECEIVER_TOKEN = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));
    private static final ObjectMapper JSON = new ObjectMapper();

    final Instant startedAt = Instant.now();
    private final Path dir;
    private final int prometheusPort;
    private final int alertmanagerPort;
    private Process prometheus;
    private Process alertmanager;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusStack(Path dir, int prometheusPort, int alertmanagerPort) {
        this.dir = dir;
        this.prometheusPort = prometheusPort;
        this.alertmanagerPort = alertmanagerPort;
    }

    /** What the platform's services need for this stack: release-service accepts the receiver's token. */
    static Map<String, String> platformSettings() {
        return Map.of("STAGECRAFT_ALERT_RECEIVERS:release-service", RECEIVER + ":" + RECEIVER_TOKEN,
                // the DORA counters follow the history every 2 s instead of 30 s, so a test reads them soon
                "STAGECRAFT_DORA_REFRESH_INTERVAL:release-service", "2s",
                // the observability test's webhook subscriber listens on loopback
                "STAGECRAFT_WEBHOOKS_ALLOWED_HOSTS:release-service", "127.0.0.1");
    }

    /** Why Prometheus or Alertmanager cannot be run here (Debian's packages cannot be had), or null. */
    static String whyUnavailable() {
        try {
            DebianPackages.ensure("prometheus");
            DebianPackages.ensure("prometheus-alertmanager");
            return null;
        } catch (IllegalStateException e) {
            return "Debian's prometheus / prometheus-alertmanager packages cannot be had here: " + e.getMessage();
        }
    }

    /** Starts both beside {@code platform}. */
    static PrometheusStack start(Platform platform) throws Exception {
        Path prometheusBin = DebianPackages.ensure("prometheus");
        Path alertmanagerBin = DebianPackages.ensure("prometheus-alertmanager");
        Path dir = platform.workDir.resolve("observability");
        Platform.deleteTree(dir);
        Files.createDirectories(dir.resolve("secrets"));
        PrometheusStack stack = new PrometheusStack(dir, Platform.freePort(), Platform.freePort());
        try {
            stack.render(platform);
            Path logs = Files.createDirectories(platform.workDir.resolve("logs"));
            stack.alertmanager = new ProcessBuilder(alertmanagerBin.toString(),
                    "--config.file=" + dir.resolve("alertmanager.yml"), "--storage.path=" + dir.resolve("alertmanager-data"),
                    "--web.listen-address=127.0.0.1:" + stack.alertmanagerPort, "--cluster.listen-address=")
                    .redirectErrorStream(true).redirectOutput(logs.resolve("alertmanager.log").toFile()).start();
            stack.prometheus = new ProcessBuilder(prometheusBin.toString(),
                    "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
                    "--web.listen-address=127.0.0.1:" + stack.prometheusPort)
                    .redirectErrorStream(true).redirectOutput(logs.resolve("prometheus.log").toFile()).start();
            stack.awaitReady(stack.alertmanagerUrl(), stack.alertmanager, logs.resolve("alertmanager.log"));
            stack.awaitReady(stack.prometheusUrl(), stack.prometheus, logs.resolve("prometheus.log"));
        } catch (Exception e) {
            stack.close();
            throw e;
        }
        return stack;
    }

    String prometheusUrl() {
        return "http://127.0.0.1:" + prometheusPort;
    }

    String alertmanagerUrl() {
        return "http://127.0.0.1:" + alertmanagerPort;
    }

    /** The configuration files as deploy/local/up renders them, with this stack's intervals (see the class). */
    private void render(Platform platform) throws IOException {
        Path source = platform.root.resolve("deploy/observability");
        Path rules = Files.createDirectories(dir.resolve("rules"));
        try (Stream<Path> files = Files.list(source.resolve("prometheus/rules"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
                Files.writeString(rules.resolve(file.getFileName()),
                        Files.readString(file).replaceAll("(?m)^(\\s+)for: \\S+$", "$1for: " + ALERT_FOR));
            }
        }
        String prometheusYml = Files.readString(source.resolve("prometheus/prometheus.yml"))
                .replace("release-service:8080", hostPort(platform, "release-service"))
                .replace("rollout-service:8081", hostPort(platform, "rollout-service"))
                .replace("inventory-service:8082", hostPort(platform, "inventory-service"))
                .replace("inventory-service:8083", hostPort(platform, "health-monitor"))
                .replace("alertmanager:9093", "127.0.0.1:" + alertmanagerPort)
                .replace("/etc/prometheus/rules/", rules + "/")
                .replace("/etc/prometheus/secrets/", dir.resolve("secrets") + "/")
                .replaceAll("scrape_interval: \\S+", "scrape_interval: " + SCRAPE)
                .replaceAll("scrape_timeout: \\S+", "scrape_timeout: " + SCRAPE)
                .replaceAll("refresh_interval: \\S+", "refresh_interval: " + SCRAPE)
                .replaceAll("evaluation_interval: \\S+", "evaluation_interval: " + EVALUATION);
        // Any credentials file the configuration names (the discovery's, and whatever jobs are added later) gets a
        // viewer token: the platform's endpoints accept it.
        Matcher secrets = Pattern.compile(Pattern.quote(dir.resolve("secrets") + "/") + "([\\w.-]+)").matcher(prometheusYml);
        while (secrets.find()) {
            Files.writeString(dir.resolve("secrets").resolve(secrets.group(1)), TestTokens.token("prometheus", "viewer"));
        }
        Files.writeString(dir.resolve("prometheus.yml"), prometheusYml);
        Files.writeString(dir.resolve("secrets/stagecraft-receiver-token"), RECEIVER_TOKEN);
        Files.writeString(dir.resolve("alertmanager.yml"),
                Files.readString(source.resolve("alertmanager/alertmanager.yml"))
                        .replace("http://release-service:8080", platform.url("release-service"))
                        .replace("/etc/alertmanager/secrets/", dir.resolve("secrets") + "/"));
    }

    private static String hostPort(Platform platform, String service) {
        return platform.url(service).substring("http://".length());
    }

    /** GET /api/v1/query at {@code at}: the {@code data} of the answer ({resultType, result}). */
    JsonNode query(String expr, Instant at) {
        return api("/api/v1/query?query=" + encode(expr) + "&time=" + at.getEpochSecond());
    }

    /** GET /api/v1/query_range: the {@code data} of the answer. */
    JsonNode queryRange(String expr, Instant start, Instant end, Duration step) {
        return api("/api/v1/query_range?query=" + encode(expr) + "&start=" + start.getEpochSecond() + "&end="
                + end.getEpochSecond() + "&step=" + step.toSeconds());
    }

    /** GET /api/v1/alerts: the alerts pending or firing now, with their labels, state and activeAt. */
    JsonNode alerts() {
        return api("/api/v1/alerts").path("alerts");
    }

    /** GET /api/v1/targets: the active targets, with their job, labels and health. */
    JsonNode activeTargets() {
        return api("/api/v1/targets?state=active").path("activeTargets");
    }

    private JsonNode api(String pathAndQuery) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(prometheusUrl() + pathAndQuery))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = JSON.readTree(answer.body());
            if (answer.statusCode() != 200 || !"success".equals(json.path("status").asText())) {
                throw new IllegalStateException("Prometheus " + pathAndQuery + " answered " + answer.statusCode() + ": "
                        + answer.body());
            }
            return json.path("data");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private void awaitReady(String url, Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(url + " exited (" + process.exitValue() + "): " + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(url + " not ready in 60 s: " + Files.readString(log));
    }

    @Override
    public void close() {
        for (Process p : Stream.of(prometheus, alertmanager).filter(p -> p != null).toList()) {
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
