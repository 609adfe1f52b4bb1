package dev.stagecraft.health.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.devinfra.DebianPackages;

/**
 * A real Prometheus (Debian's package, installed by dev-infra when missing) as a child process on a free
 * loopback port, scraping the given targets every second, with its data in a temporary directory.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Process process;
    private final Path dir;
    private final int port;

    private PrometheusServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static PrometheusServer start(List<String> targets) {
        Path program = DebianPackages.ensure("prometheus");
        int port = SampleApp.freePort();
        try {
            Path dir = Files.createTempDirectory("prometheus-test-");
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 900ms
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: sample-app
                        static_configs:
                          - targets: [%s]
                    """.formatted(targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", "))));
            ProcessBuilder builder = new ProcessBuilder(program.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(SampleApp.logFile("prometheus").toFile());
            PrometheusServer server = new PrometheusServer(ChildProcesses.track(builder.start()), dir, port);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Prometheus", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The result vector of an instant query. */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body()).path("data").path("result");
    }

    private void awaitReady() {
        ChildProcesses.awaitOk(process, url() + "/-/ready", Duration.ofSeconds(60), "Prometheus");
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is no test failure
        }
    }
}
