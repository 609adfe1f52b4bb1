package dev.stagecraft.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.stagecraft.devinfra.DebianPackages;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}, installed with deploy/tools when missing) on a free
 * loopback port, routing every alert at once to one webhook with a bearer token, as deploy/observability's
 * alertmanager.yml does. Alerts are posted to it through its own API v2, as Prometheus does.
 */
final class AlertmanagerProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Process process;
    private final Path dir;
    private final int port;

    private AlertmanagerProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    static AlertmanagerProcess start(String webhookUrl, String token) throws IOException, InterruptedException {
        Path program = DebianPackages.ensure("prometheus-alertmanager");
        int port = freePort();
        Path dir = Files.createTempDirectory("alertmanager-test-");
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, """
                route:
                  receiver: stagecraft
                  group_by: [alertname, service, environment]
                  group_wait: 0s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: stagecraft
                    webhook_configs:
                      - url: '%s'
                        send_resolved: false
                        http_config:
                          authorization:
                            credentials: '%s'
                """.formatted(webhookUrl, token));
        Process process = new ProcessBuilder(program.toString(), "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=").redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        AlertmanagerProcess am = new AlertmanagerProcess(process, dir, port);
        am.awaitReady();
        return am;
    }

    /** Posts alerts (API v2 JSON list) as Prometheus would. */
    void post(String alertsJson) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/api/v2/alerts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alertsJson))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("Alertmanager refused the alerts: " + answer.statusCode() + " " + answer.body());
        }
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("log"));
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Alertmanager exited: " + log());
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Alertmanager not ready within 60 s: " + log());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind is no test failure
        }
    }
}
