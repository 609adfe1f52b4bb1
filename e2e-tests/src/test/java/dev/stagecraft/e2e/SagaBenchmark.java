package dev.stagecraft.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.CloudEventsTestClient;
import io.restassured.path.json.JsonPath;

/**
 * The platform's speed, as figures: not a test (it asserts only that the deployments it times succeeded) and not
 * run by {@code ./mvnw verify}. Run it with {@code ./mvnw -B verify -pl e2e-tests -Pbench} (docs/performance.md).
 * One run, one broker, the real services and real sample-app instances:
 * <ol>
 * <li>Kafka's own end-to-end latency (acks=all, 300 B), the yardstick for a hop;</li>
 * <li>rolling deployments of a 4-instance fleet: every hop's latency by kind (p50, p99), from record timestamps;</li>
 * <li>a release that fails readiness (after the 20 s probe deadline): the time from the FAIL verdict to the rollback;</li>
 * <li>N deployments at once to N one-instance fleets (N = 12 and more): the time until the last one ended;</li>
 * <li>a deployment after a quiet period: its first hops;</li>
 * <li>each service's resident memory.</li>
 * </ol>
 * Settings (system properties): {@code bench.concurrent} (12,24), {@code bench.rolling} (3 deployments),
 * {@code bench.quiet} (60 seconds), {@code bench.maxUnfinished} (the services' own default; 1 = one record at a
 * time, as before records of different deployments ran side by side).
 */
class SagaBenchmark {
    private static final String ENV = "staging";
    private static final String ROLLING_1 = "{\"type\":\"rolling\",\"maxUnavailable\":1}";
    private static final List<String> SAGA_TOPICS = List.of(SagaHops.DEPLOYMENTS, SagaHops.STEPS, SagaHops.INSTANCES,
            SagaHops.HEALTH, SagaHops.ROLLBACKS);

    private final List<String> out = new ArrayList<>();

    @Test
    void measure() throws Exception {
        List<Integer> concurrent = Arrays.stream(System.getProperty("bench.concurrent", "12,24").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        int rolling = Integer.getInteger("bench.rolling", 3);
        int quietSeconds = Integer.getInteger("bench.quiet", 60);
        Map<String, String> env = new HashMap<>();
        // The probes keep their default deadline (20 s): N instances starting at once on 2 cores need it (with 8 s,
        // 12 fresh instances on a loaded machine answered no probe in time and all 12 deployments rolled back).
        String maxUnfinished = System.getProperty("bench.maxUnfinished", "");
        if (!maxUnfinished.isBlank()) {
            env.put("STAGECRAFT_CONSUMER_MAX_UNFINISHED", maxUnfinished);
        }
        long started = System.currentTimeMillis();
        try (Platform platform = Platform.start(env, "e2e-work-bench")) {
            PlatformApi api = new PlatformApi(platform);
            line("### Latest run of `SagaBenchmark`: " + java.time.Instant.now());
            line("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average at start "
                    + loadAverage() + (maxUnfinished.isBlank() ? "" : "; services with max-unfinished=" + maxUnfinished));

            long kafkaP50 = kafkaLatency(platform.bootstrapServers());
            List<String> timed = rollingDeployments(api, rolling);
            String failing = failingRelease(api);
            timed.add(failing);
            hopTable(platform, timed, kafkaP50);
            rollbackAfterFailingVerdict(platform, failing);
            for (int n : concurrent) {
                concurrentDeployments(api, n);
            }
            quietFirstHops(platform, api, quietSeconds, rolling);
            line("");
            line("resident memory (MiB) after the run: " + platform.residentMemoryMiB());
            line(String.format("benchmark took %.0f s", (System.currentTimeMillis() - started) / 1e3));
            Path file = platform.workDir.resolve("benchmark.md");
            Files.write(file, out, StandardCharsets.UTF_8);
            System.out.println("written to " + file);
            BenchmarkReport.publish(platform.root, "saga", out);
        }
    }

    /** Kafka's own end-to-end latency on this broker ({@link KafkaLatency}); answers its p50 in ms. */
    private long kafkaLatency(String bootstrap) throws Exception {
        KafkaLatency.Result kafka = KafkaLatency.measure(bootstrap, 500);
        line("");
        line("#### Kafka end to end (acks=all, 300 B, one at a time, " + kafka.micros().size() + " records)");
        line(String.format("p50 %.1f ms, p99 %.1f ms", kafka.p50Micros() / 1e3, kafka.p99Micros() / 1e3));
        return kafka.p50Millis();
    }

    /** A 4-instance fleet, first provisioned, then rolled {@code count} times one instance at a time. */
    private List<String> rollingDeployments(PlatformApi api, int count) {
        api.fleet("shop", ENV, 4);
        List<String> ids = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i <= count + 1; i++) { // 1.0.0 provisions; the last one is kept for after the quiet period
            api.release("shop", "1.0." + i, Map.of());
        }
        for (int i = 0; i <= count; i++) {
            long t0 = System.currentTimeMillis();
            String id = api.deploy("shop", "1.0." + i, ENV, ROLLING_1);
            JsonPath end = api.awaitEnd(id);
            assertEquals("SUCCEEDED", end.getString("status"), end.prettify());
            if (i > 0) {
                seconds.add((System.currentTimeMillis() - t0) / 1e3);
            }
            ids.add(id);
        }
        line("");
        line("#### Rolling deployments, 4 instances, maxUnavailable 1");
        line("each: " + seconds.stream().map(s -> String.format("%.1f s", s)).collect(Collectors.joining(", ")));
        return ids;
    }

    /** A release that never becomes ready: its first batch fails its probes and is rolled back. */
    private String failingRelease(PlatformApi api) {
        api.release("shop", "9.9.9", Map.of("SAMPLE_READY_FAIL", "true"));
        String id = api.deploy("shop", "9.9.9", ENV, ROLLING_1);
        JsonPath end = api.awaitEnd(id);
        assertEquals("ROLLED_BACK", end.getString("status"), end.prettify());
        return id;
    }

    private void hopTable(Platform platform, List<String> ids, long kafkaP50) {
        List<SagaHops.Hop> hops = SagaHops.hops(events(platform, ids));
        line("");
        line("#### Hops of those deployments (record timestamps; " + hops.size() + " hops)");
        line("| service | hop | n | p50 ms | p99 ms | max ms |");
        line("|---|---|---|---|---|---|");
        SagaHops.byName(hops).forEach((name, ms) -> {
            String[] parts = name.split(" \\| ");
            line(String.format("| %s | %s | %d | %d | %d | %d |", parts[0], parts[1], ms.size(),
                    SagaHops.percentile(ms, 50), SagaHops.percentile(ms, 99), SagaHops.percentile(ms, 100)));
        });
        List<Long> saga = hops.stream().filter(h -> h.consumer().equals("rollout-service")).map(SagaHops.Hop::millis)
                .toList();
        if (!saga.isEmpty()) {
            long p50 = SagaHops.percentile(saga, 50);
            line(String.format("rollout-service, every hop (answer → its next output): n %d, p50 %d ms, p99 %d ms;"
                    + " p50 = %.0f × Kafka's p50", saga.size(), p50, SagaHops.percentile(saga, 99),
                    (double) p50 / kafkaP50));
            consumerShare(platform);
        }
    }

    /**
     * Where a rollout-service hop goes: its {@code stagecraft_event_hop_seconds} (a record's timestamp → the commit of
     * its handling) is delivery plus handling; the rest of a hop, to the next record's timestamp, is the outbox relay.
     */
    private void consumerShare(Platform platform) {
        try {
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(platform.url("rollout-service") + "/q/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            Map<String, double[]> byType = new java.util.TreeMap<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "stagecraft_event_hop_seconds_(sum|count)\\{consumer=\"rollout-service\",type=\"dev\\.stagecraft\\.([^\"]+)\"} "
                            + "([0-9.eE+-]+)").matcher(metrics);
            while (m.find()) {
                double[] sumCount = byType.computeIfAbsent(m.group(2), k -> new double[2]);
                sumCount[m.group(1).equals("sum") ? 0 : 1] += Double.parseDouble(m.group(3));
            }
            List<String> parts = new ArrayList<>();
            byType.forEach((type, sc) -> {
                if (sc[1] > 0) {
                    parts.add(String.format("%s %.0f ms (n %.0f)", type, 1000 * sc[0] / sc[1], sc[1]));
                }
            });
            line("rollout-service, record timestamp → its handling committed (delivery + handling, mean): "
                    + String.join("; ", parts));
        } catch (Exception e) {
            line("rollout-service's hop metric not read: " + e);
        }
    }

    /** The failing deployment's first verdict is the FAIL: the hop from it is the rollback being started. */
    private void rollbackAfterFailingVerdict(Platform platform, String failing) {
        SagaHops.hops(events(platform, List.of(failing))).stream()
                .filter(h -> h.consumer().equals("rollout-service") && h.name().startsWith("verdict.reached → "))
                .findFirst().ifPresent(h -> line("failing verdict → rollback (" + h.name() + "): " + h.millis() + " ms"));
    }

    /** N one-instance fleets, each provisioned and then updated, N deployments sent at once each time. */
    private void concurrentDeployments(PlatformApi api, int n) throws Exception {
        List<String> services = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String service = "par" + n + "x" + i;
            services.add(service);
            api.fleet(service, ENV, 1);
            api.release(service, "1.0.0", Map.of());
            api.release(service, "1.1.0", Map.of());
        }
        line("");
        line("#### " + n + " deployments at once, to " + n + " one-instance fleets");
        for (String version : List.of("1.0.0", "1.1.0")) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 16));
            try {
                long t0 = System.currentTimeMillis();
                List<Future<String>> sent = new ArrayList<>();
                for (String service : services) {
                    sent.add(pool.submit(() -> api.deploy(service, version, ENV, ROLLING_1)));
                }
                List<String> ids = new ArrayList<>();
                for (Future<String> f : sent) {
                    ids.add(f.get());
                }
                Map<String, Long> outcomes = new HashMap<>();
                for (String id : ids) {
                    outcomes.merge(api.awaitEnd(id).getString("status"), 1L, Long::sum);
                }
                double took = (System.currentTimeMillis() - t0) / 1e3;
                line(String.format("%s (%s): all ended %.1f s after the first request; %s", version,
                        version.equals("1.0.0") ? "provision" : "update", took, outcomes));
                // Reported, not asserted: how many a loaded machine carries through is the figure; the rest of the
                // benchmark still runs.
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** After a quiet period, one more rolling deployment: are its first hops as quick as the others? */
    private void quietFirstHops(Platform platform, PlatformApi api, int quietSeconds, int rolling) {
        PlatformApi.sleep(quietSeconds * 1000L);
        String id = api.deploy("shop", "1.0." + (rolling + 1), ENV, ROLLING_1);
        JsonPath end = api.awaitEnd(id);
        assertEquals("SUCCEEDED", end.getString("status"), end.prettify());
        List<SagaHops.Hop> hops = SagaHops.hops(events(platform, List.of(id)));
        line("");
        line("#### A rolling deployment after " + quietSeconds + " s of quiet");
        line("first hops: " + hops.stream().limit(6).map(h -> h.name() + " " + h.millis() + " ms")
                .collect(Collectors.joining("; ")));
        List<Long> saga = hops.stream().filter(h -> h.consumer().equals("rollout-service")).map(SagaHops.Hop::millis)
                .toList();
        line(String.format("rollout-service hops: n %d, p50 %d ms, max %d ms", saga.size(),
                SagaHops.percentile(saga, 50), SagaHops.percentile(saga, 100)));
    }

    /** The saga's records of those deployments, from every saga topic. */
    static List<SagaHops.Event> events(Platform platform, List<String> ids) {
        List<SagaHops.Event> events = new ArrayList<>();
        try (CloudEventsTestClient kafka = new CloudEventsTestClient(platform.bootstrapServers())) {
            for (String topic : SAGA_TOPICS) {
                for (ConsumerRecord<String, String> r : kafka.readAll(topic, Duration.ofSeconds(3))) {
                    String source = CloudEventsTestClient.header(r, "ce_source");
                    String type = CloudEventsTestClient.header(r, "ce_type");
                    if (ids.contains(r.key()) && source != null && type != null) {
                        events.add(new SagaHops.Event(r.key(), topic, type, source.replace("/stagecraft/", ""),
                                r.timestamp()));
                    }
                }
            }
        }
        return events;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private void line(String text) {
        out.add(text);
        System.out.println(text);
    }
}
