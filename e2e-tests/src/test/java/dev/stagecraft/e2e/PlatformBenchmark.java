package dev.stagecraft.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.DebianPackages;
import io.restassured.path.json.JsonPath;

/**
 * The platform's figures in one run, on one platform and one broker (docs/performance.md, "Figures"): the real four
 * services, Kafka, PostgreSQL, host agents and fleet routers, with instances that are records served by their agents
 * (host-agent's README, "Simulated hosts") so that 10,000 of them fit on one machine. Not a test and not run by
 * {@code ./mvnw verify}: {@code ./mvnw -B verify -pl e2e-tests -Pbench}. One table, each row with the load it ran
 * under, in this order:
 * <ol>
 * <li>Kafka's own end-to-end latency ({@link KafkaLatency}) on the idle platform: the yardstick for a hop;</li>
 * <li>the saga's hops by event type ({@link SagaHops}, from record timestamps) of rolling deployments of a 4-instance
 * fleet (maxUnavailable 1) and of one release that fails readiness, one at a time: p50, p99, and p50 as a multiple
 * of Kafka's p50; and the time from that release's FAIL verdict to the rollback command;</li>
 * <li>M deployments at once to M fleets of 10 (M = 100), provisioned, then updated, maxUnavailable 10 %;</li>
 * <li>a fleet of N (N = 1,000, then 10,000) provisioned, then rolled with maxUnavailable 10 %, the earlier fleets
 * still in service;</li>
 * <li>the highest resident memory of each service and agent during 3 and during 4 (sampled every second);</li>
 * <li>the CPU each service, agent, the broker and the database spent during 3 and during each N of 4
 * ({@link CpuTime}): on two cores, where a burst's time went.</li>
 * </ol>
 * Fleet routers are the agents' own, as users run them: an HAProxy per fleet ({@code -Dbench.haproxy}, HAProxy 2.6 or
 * later; by default Debian's, installed by {@code deploy/tools/install-debian-packages} when missing), which an agent replaces with its router process for a table of more than
 * 4,095 backends (host-agent's README, "Beyond 4,095 backends"). Without HAProxy every fleet would get a router JVM,
 * a hundred of them for step 3: the run stops and says so.
 * <p>Settings: {@code bench.rolling} (3), {@code bench.scale.concurrent} (100 fleets, 0: none), {@code bench.scale.fleet}
 * (10 instances each), {@code bench.scale.sizes} (1000,10000), {@code bench.scale.hosts} (4 simulated hosts),
 * {@code bench.scale.agentHeap} (192m), {@code bench.scale.timeoutMinutes} (15), {@code bench.haproxy},
 * {@code bench.docs} (true: the table goes into docs/performance.md).
 * {@link SagaBenchmark} measures the saga's part alone with real sample-app instances ({@code -Dtest=SagaBenchmark}).
 */
class PlatformBenchmark {
    private static final String ENV = "staging";
    private static final String ROLLING_1 = "{\"type\":\"rolling\",\"maxUnavailable\":1}";
    private static final String ROLLING_10_PERCENT = "{\"type\":\"rolling\",\"maxUnavailable\":\"10%\"}";

    private final List<String> out = new ArrayList<>();
    /** Said once under the table rather than in every row. */
    private final List<String> notes = new ArrayList<>();

    @Test
    void measure() throws Exception {
        int rolling = Integer.getInteger("bench.rolling", 3);
        List<Integer> sizes = Arrays.stream(System.getProperty("bench.scale.sizes", "1000,10000").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
        int hosts = Integer.getInteger("bench.scale.hosts", 4);
        int concurrent = Integer.getInteger("bench.scale.concurrent", 100);
        int fleetSize = Integer.getInteger("bench.scale.fleet", 10);
        // The agents' default router where HAProxy is installed: installed here from Debian's package, as the tests
        // that run it do, unless -Dbench.haproxy names one.
        Path haproxy = System.getProperty("bench.haproxy") != null ? Path.of(System.getProperty("bench.haproxy"))
                : concurrent > 0 ? DebianPackages.ensure("haproxy") : Path.of("/usr/sbin/haproxy");
        String haproxyVersion = haproxyVersion(haproxy);
        if (haproxyVersion == null && concurrent > 0) {
            throw new IllegalStateException("no HAProxy at " + haproxy + " (-Dbench.haproxy): the agents would run a"
                    + " router JVM for each of the " + concurrent + " fleets. Install HAProxy 2.6 or later, or run"
                    + " with -Dbench.scale.concurrent=0");
        }
        Map<String, String> env = new HashMap<>();
        env.put("STAGECRAFT_AGENT_SIMULATED:host-agent", "true");
        env.put("AGENT_MAX_HEAP:host-agent", System.getProperty("bench.scale.agentHeap", "192m"));
        env.put("STAGECRAFT_AGENT_HAPROXY:host-agent", haproxy.toString());
        long started = System.currentTimeMillis();
        line("### Latest run of `PlatformBenchmark`: " + java.time.Instant.now());
        line("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average at start "
                + loadAverage() + "; one platform, one broker; " + hosts + " simulated hosts; fleet routers: "
                + (haproxyVersion == null ? "router processes (no HAProxy)" : haproxyVersion
                        + " per fleet, the router process for a fleet of more than 4,095")
                + ". Load: the 1-minute load average at the start → the end of each measure.");
        line("");
        line("| measure | load | figure |");
        line("|---|---|---|");
        try (Platform platform = Platform.start(env, "e2e-work-platform-bench", hosts)) {
            // A long run may be stopped with SIGTERM to the test JVM: the platform still goes down with it.
            Thread cleanUp = new Thread(platform::close, "platform-benchmark-stop");
            Runtime.getRuntime().addShutdownHook(cleanUp);
            try {
                PlatformApi api = new PlatformApi(platform);
                KafkaLatency.Result kafka = kafka(platform);
                saga(platform, api, rolling, kafka);
                if (concurrent > 0) {
                    PeakMemory peak = PeakMemory.start(platform);
                    CpuTime cpu = CpuTime.start(platform);
                    String load = loadAverage();
                    concurrentDeployments(api, concurrent, fleetSize);
                    String loads = load + " → " + loadAverage();
                    line(String.format("| CPU seconds by process, %d deployments at once (provision and update) | %s | %s |",
                            concurrent, loads, CpuTime.describe(cpu.spentSeconds())));
                    line(String.format("| highest resident memory (MiB), %d deployments at once | %s | %s |",
                            concurrent, loads, peak.stop()));
                }
                if (!sizes.isEmpty()) {
                    PeakMemory peak = PeakMemory.start(platform);
                    String load = loadAverage();
                    for (int size : sizes) {
                        CpuTime cpu = CpuTime.start(platform);
                        String sizeLoad = loadAverage();
                        rolling(api, size, concurrent, fleetSize);
                        line(String.format("| CPU seconds by process, %,d (provision and rolling) | %s | %s |", size,
                                sizeLoad + " → " + loadAverage(), CpuTime.describe(cpu.spentSeconds())));
                    }
                    line(String.format("| highest resident memory (MiB), fleets of %s | %s | %s |", sizes,
                            load + " → " + loadAverage(), peak.stop()));
                }
                line("| fleet routers at the end, by kind (the agents' records) | | " + routerKinds(platform) + " |");
                line(String.format("| the whole run | %s at its end | %.0f s |", loadAverage(),
                        (System.currentTimeMillis() - started) / 1e3));
                if (!notes.isEmpty()) {
                    line("");
                    notes.forEach(this::line);
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanUp);
                } catch (IllegalStateException e) {
                    // shutting down: the hook is closing the platform
                }
            }
            Path file = platform.workDir.resolve("benchmark.md");
            Files.write(file, out, StandardCharsets.UTF_8);
            System.out.println("written to " + file);
            BenchmarkReport.publish(platform.root, "platform", out);
        }
    }

    private KafkaLatency.Result kafka(Platform platform) throws Exception {
        String load = loadAverage();
        KafkaLatency.Result kafka = KafkaLatency.measure(platform.bootstrapServers(), 500);
        line(String.format("| Kafka end to end: acks=all, 300 B, one record at a time (%d) | idle platform; %s | "
                + "p50 %.1f ms, p99 %.1f ms |", kafka.micros().size(), load + " → " + loadAverage(),
                kafka.p50Micros() / 1e3, kafka.p99Micros() / 1e3));
        return kafka;
    }

    /**
     * A 4-instance fleet provisioned, rolled {@code count} times one instance at a time, then a release that fails
     * readiness (rolled back after the probes' 20 s deadline): every hop of those deployments by kind, and the hop
     * from the failing verdict to the rollback.
     */
    private void saga(Platform platform, PlatformApi api, int count, KafkaLatency.Result kafka) {
        String load = loadAverage();
        api.fleet("shop", ENV, 4);
        for (int i = 0; i <= count; i++) {
            api.release("shop", "1.0." + i, Map.of());
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i <= count; i++) {
            String id = api.deploy("shop", "1.0." + i, ENV, ROLLING_1);
            JsonPath end = api.awaitEnd(id);
            assertEquals("SUCCEEDED", end.getString("status"), end.prettify());
            ids.add(id);
        }
        api.release("shop", "9.9.9", Map.of("SAMPLE_READY_FAIL", "true"));
        String failing = api.deploy("shop", "9.9.9", ENV, ROLLING_1);
        JsonPath end = api.awaitEnd(failing);
        assertEquals("ROLLED_BACK", end.getString("status"), end.prettify());
        ids.add(failing);
        String under = "one deployment at a time; " + load + " → " + loadAverage();
        notes.add(String.format("Saga hops: %d rolling deployments of a fleet of 4 simulated instances (the first a "
                + "provision), maxUnavailable 1, then a release that fails readiness (rolled back after the probes' "
                + "20 s deadline), one at a time; n: how many hops of that kind.", count + 1));
        List<SagaHops.Hop> hops = SagaHops.hops(SagaBenchmark.events(platform, ids));
        SagaHops.byName(hops).forEach((name, ms) -> {
            String[] parts = name.split(" \\| ");
            line(String.format("| saga hop, %s: %s (n %d) | %s | %s |", parts[0], parts[1], ms.size(), under,
                    hopFigure(ms, kafka)));
        });
        List<Long> saga = hops.stream().filter(h -> h.consumer().equals("rollout-service"))
                .map(SagaHops.Hop::millis).toList();
        if (!saga.isEmpty()) {
            line(String.format("| saga hop, rollout-service: every hop, answer → its next output (n %d) | %s | %s |",
                    saga.size(), under, hopFigure(saga, kafka)));
        }
        SagaHops.hops(SagaBenchmark.events(platform, List.of(failing))).stream()
                .filter(h -> h.consumer().equals("rollout-service") && h.name().startsWith("verdict.reached → "))
                .findFirst().ifPresentOrElse(
                        h -> line(String.format("| failing verdict → rollback command (%s) | %s | %d ms |", h.name(),
                                under, h.millis())),
                        () -> line("| failing verdict → rollback command | " + under + " | not found |"));
    }

    /** p50, p99, max, and the p50 as a multiple of Kafka's own p50 (the overhead of a hop). */
    private static String hopFigure(List<Long> ms, KafkaLatency.Result kafka) {
        long p50 = SagaHops.percentile(ms, 50);
        return String.format("p50 %d ms, p99 %d ms, max %d ms; p50 = %.0f × Kafka's p50", p50,
                SagaHops.percentile(ms, 99), SagaHops.percentile(ms, 100), p50 * 1000.0 / kafka.p50Micros());
    }

    /** {@code n} fleets of {@code size}: all provisioned at once, then all updated at once. */
    private void concurrentDeployments(PlatformApi api, int n, int size) throws Exception {
        List<String> services = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String service = "con" + i;
            services.add(service);
            api.fleet(service, ENV, size);
            api.release(service, "1.0.0", Map.of());
            api.release(service, "1.1.0", Map.of());
        }
        for (String version : List.of("1.0.0", "1.1.0")) {
            String load = loadAverage();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                long t0 = System.currentTimeMillis();
                List<Future<String>> sent = new ArrayList<>();
                for (String service : services) {
                    sent.add(pool.submit(() -> api.deploy(service, version, ENV, ROLLING_10_PERCENT)));
                }
                List<String> ids = new ArrayList<>();
                for (Future<String> f : sent) {
                    ids.add(f.get());
                }
                Map<String, Long> outcomes = new LinkedHashMap<>();
                List<String> whyNot = new ArrayList<>();
                for (String id : ids) {
                    JsonPath end = api.await(id, d -> PlatformApi.ENDED.contains(d.getString("status")), timeout(),
                            "ended");
                    outcomes.merge(end.getString("status"), 1L, Long::sum);
                    if (!"SUCCEEDED".equals(end.getString("status"))) {
                        whyNot.add(end.getString("service") + ": " + whyNotSucceeded(end));
                    }
                }
                double took = (System.currentTimeMillis() - t0) / 1e3;
                line(String.format("| %d deployments at once to %d fleets of %d simulated instances, %s (%s), "
                        + "maxUnavailable 10 %% | the 4-instance fleet in service; %s | all ended %.1f s after the "
                        + "first request: %s%s |", n, n, size, version.equals("1.0.0") ? "provision" : "update",
                        version, load + " → " + loadAverage(), took, outcomes,
                        whyNot.isEmpty() ? "" : "; why not SUCCEEDED: " + String.join("; ", whyNot)));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** A fleet of {@code size}, provisioned with 1.0.0, then rolled to 1.1.0 with maxUnavailable 10 %. */
    private void rolling(PlatformApi api, int size, int concurrent, int fleetSize) {
        String service = "sim" + size;
        String beside = concurrent > 0 ? String.format("%d fleets of %d and the earlier ones in service", concurrent,
                fleetSize) : "the earlier fleets in service";
        api.fleet(service, ENV, size);
        api.release(service, "1.0.0", Map.of());
        api.release(service, "1.1.0", Map.of());
        for (String version : List.of("1.0.0", "1.1.0")) {
            String what = String.format("%s, %,d simulated instances%s (%s)", version.equals("1.0.0") ? "provision"
                    : "rolling deployment", size, version.equals("1.0.0") ? "" : ", maxUnavailable 10 %", version);
            String load = loadAverage();
            long t0 = System.currentTimeMillis();
            String id = api.deploy(service, version, ENV, ROLLING_10_PERCENT);
            JsonPath end;
            try {
                end = api.await(id, d -> PlatformApi.ENDED.contains(d.getString("status")), timeout(), "ended");
            } catch (AssertionError e) {
                line(String.format("| %s | %s; %s | did not end within %s: %s |", what, beside,
                        load + " → " + loadAverage(), timeout(), api.deployment(id).getString("status")));
                return;
            }
            double took = (System.currentTimeMillis() - t0) / 1e3;
            String status = end.getString("status");
            line(String.format("| %s | %s; %s | %s in %.1f s%s |", what, beside, load + " → " + loadAverage(), status,
                    took, "SUCCEEDED".equals(status) ? "" : ": " + whyNotSucceeded(end)));
            if (!"SUCCEEDED".equals(status)) {
                // a rollback left the fleet empty: the next deployment would be a provision again, not a rolling one
                return;
            }
        }
    }

    /** Why the deployment did not succeed: its first timeline message once it turned (rolling back, failed), cut short. */
    private static String whyNotSucceeded(JsonPath deployment) {
        List<String> statuses = deployment.getList("timeline.status");
        List<String> messages = deployment.getList("timeline.message");
        if (messages == null || messages.isEmpty()) {
            return "";
        }
        String why = String.valueOf(messages.get(messages.size() - 1));
        for (int i = 0; i < messages.size(); i++) {
            if (List.of("ROLLING_BACK", "FAILED", "ROLLED_BACK").contains(String.valueOf(statuses.get(i)))) {
                why = String.valueOf(messages.get(i));
                break;
            }
        }
        String oneLine = why.replace('|', '/').replace('\n', ' ');
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + " …" : oneLine;
    }

    /** How many fleet routers the agents run of each kind, and which fleets run router processes. */
    private static String routerKinds(Platform platform) {
        Map<String, List<String>> byKind = new java.util.TreeMap<>();
        try (var records = Files.find(platform.workDir.resolve("agents"), 3,
                (path, attributes) -> path.getParent().getFileName().toString().equals("routers")
                        && path.toString().endsWith(".json"))) {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            for (Path record : records.toList()) {
                var json = mapper.readTree(record.toFile());
                byKind.computeIfAbsent(json.path("kind").asText("java"), k -> new ArrayList<>())
                        .add(json.path("routerId").asText());
            }
        } catch (Exception e) {
            return "not read: " + e;
        }
        List<String> parts = new ArrayList<>();
        byKind.forEach((kind, ids) -> parts.add(ids.size() + " " + kind
                + (ids.size() <= 3 ? " (" + String.join(", ", ids) + ")" : "")));
        return String.join(", ", parts);
    }

    /** "HAProxy 2.6.12" as {@code haproxy -v} says it, or null where there is none that answers. */
    private static String haproxyVersion(Path binary) {
        if (!Files.isExecutable(binary)) {
            return null;
        }
        try {
            Process p = new ProcessBuilder(binary.toString(), "-v").redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("");
            p.waitFor();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("HA-?Proxy version (\\S+)").matcher(first);
            return p.exitValue() == 0 && m.find() ? "HAProxy " + m.group(1) : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static Duration timeout() {
        return Duration.ofMinutes(Integer.getInteger("bench.scale.timeoutMinutes", 15));
    }

    /** The 1-minute load average, to one decimal. */
    private static String loadAverage() {
        try {
            return String.format("%.1f", Double.parseDouble(SagaBenchmark.loadAverage()));
        } catch (NumberFormatException e) {
            return "unknown";
        }
    }

    private void line(String text) {
        out.add(text);
        System.out.println(text);
    }
}
