package dev.stagecraft.e2e;

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
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

/**
 * The platform at scale, as figures, on simulated hosts (host-agent's README, "Simulated hosts"): the real services,
 * broker, database, host agents and fleet routers, with instances that are records served by their agents instead
 * of JVMs. Not a test and not run by {@code ./mvnw verify}: {@code ./mvnw -B verify -pl e2e-tests -Pbench}
 * (docs/performance.md) runs it after {@link SagaBenchmark}, or alone with {@code -Dtest=ScaleBenchmark}.
 * <ol>
 * <li>a fleet of N simulated instances (N = 1,000 and 10,000) provisioned, then a rolling deployment of it with
 * maxUnavailable 10 %, timed from the request to its end;</li>
 * <li>M fleets of 10 simulated instances (M = 100), provisioned at once, then M deployments at once, on a platform
 * of its own whose routers are one HAProxy (a hundred fleets under agent-run routers would be a hundred router
 * JVMs);</li>
 * <li>the resident memory of each service and agent, the highest seen while each platform ran.</li>
 * </ol>
 * Settings: {@code bench.scale.sizes} (1000,10000), {@code bench.scale.hosts} (4 simulated hosts),
 * {@code bench.scale.concurrent} (100 fleets), {@code bench.scale.fleet} (10 instances each).
 */
class ScaleBenchmark {
    private static final String ENV = "staging";
    private static final String ROLLING_10_PERCENT = "{\"type\":\"rolling\",\"maxUnavailable\":\"10%\"}";

    private final List<String> out = new ArrayList<>();

    @Test
    void measure() throws Exception {
        List<Integer> sizes = Arrays.stream(System.getProperty("bench.scale.sizes", "1000,10000").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
        int hosts = Integer.getInteger("bench.scale.hosts", 4);
        int concurrent = Integer.getInteger("bench.scale.concurrent", 100);
        int fleetSize = Integer.getInteger("bench.scale.fleet", 10);
        long started = System.currentTimeMillis();
        line("### Latest run of `ScaleBenchmark` (simulated hosts): " + java.time.Instant.now());
        line("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average at start "
                + loadAverage() + "; " + hosts + " simulated hosts");
        line("");
        line("| what | figure |");
        line("|---|---|");
        Path workDir = null;
        if (!sizes.isEmpty()) {
            // Each fleet's router runs under an agent as a Java router process of its own: an agent's HAProxy (its
            // default where HAProxy is installed) balances roundrobin, which holds at most 4,095 servers per backend.
            workDir = onPlatform(Map.of("STAGECRAFT_AGENT_ROUTER_KIND:host-agent", "java"), "e2e-work-scale", hosts,
                    "agent-run Java fleet routers", platform -> {
                PlatformApi api = new PlatformApi(platform);
                for (int size : sizes) {
                    rolling(api, size);
                }
            });
        }
        if (concurrent > 0) {
            // A hundred fleets under agent-run routers would be a hundred router JVMs; one HAProxy serves them all.
            workDir = onPlatform(Map.of("STAGECRAFT_ROUTER_KIND", "haproxy"), "e2e-work-scale-concurrent", hosts, "one HAProxy for every fleet",
                    platform -> concurrentDeployments(new PlatformApi(platform), concurrent, fleetSize));
        }
        line(String.format("| benchmark took | %.0f s |", (System.currentTimeMillis() - started) / 1e3));
        if (workDir != null) {
            Path file = workDir.resolve("benchmark-scale.md");
            Files.write(file, out, StandardCharsets.UTF_8);
            System.out.println("written to " + file);
            BenchmarkReport.publish(Platform.root(), "scale", out);
        }
    }

    private interface Run {
        void on(Platform platform) throws Exception;
    }

    /** One platform on simulated hosts for {@code run}, with the highest resident memory seen while it ran. */
    private Path onPlatform(Map<String, String> extra, String workName, int hosts, String routers, Run run) throws Exception {
        Map<String, String> env = new HashMap<>(extra);
        env.put("STAGECRAFT_AGENT_SIMULATED:host-agent", "true");
        env.put("AGENT_MAX_HEAP:host-agent", System.getProperty("bench.scale.agentHeap", "192m"));
        try (Platform platform = Platform.start(env, workName, hosts)) {
            // A long run may be stopped with SIGTERM to the test JVM: the platform still goes down with it.
            Thread cleanUp = new Thread(platform::close, "scale-benchmark-stop");
            Runtime.getRuntime().addShutdownHook(cleanUp);
            PeakMemory peak = new PeakMemory(platform);
            peak.start();
            try {
                line("| platform (" + routers + "): load average when started | " + loadAverage() + " |");
                run.on(platform);
            } finally {
                peak.stop();
                line("| highest resident memory (MiB) while it ran (" + routers + ") | " + peak.highest() + " |");
                line("| load average at its end | " + loadAverage() + " |");
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanUp);
                } catch (IllegalStateException e) {
                    // shutting down: the hook is closing the platform
                }
            }
            return platform.workDir;
        }
    }

    /** A fleet of {@code size}, provisioned with 1.0.0, then rolled to 1.1.0 with maxUnavailable 10 %. */
    private void rolling(PlatformApi api, int size) {
        String service = "sim" + size;
        api.fleet(service, ENV, size);
        api.release(service, "1.0.0", Map.of());
        api.release(service, "1.1.0", Map.of());
        for (String version : List.of("1.0.0", "1.1.0")) {
            long t0 = System.currentTimeMillis();
            String id = api.deploy(service, version, ENV, ROLLING_10_PERCENT);
            JsonPath end;
            try {
                end = api.await(id, d -> PlatformApi.ENDED.contains(d.getString("status")), timeout(), "ended");
            } catch (AssertionError e) {
                line(String.format("| %s, %,d simulated instances (%s) | did not end within %s: %s |",
                        version.equals("1.0.0") ? "provision" : "rolling deployment", size, version, timeout(),
                        api.deployment(id).getString("status")));
                return;
            }
            double took = (System.currentTimeMillis() - t0) / 1e3;
            String status = end.getString("status");
            line(String.format("| %s, %,d simulated instances, maxUnavailable 10 %% (%s) | %s in %.1f s%s |",
                    version.equals("1.0.0") ? "provision" : "rolling deployment", size, version, status, took,
                    "SUCCEEDED".equals(status) ? "" : ": " + whyNotSucceeded(end)));
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
                for (String id : ids) {
                    outcomes.merge(api.await(id, d -> PlatformApi.ENDED.contains(d.getString("status")), timeout(),
                            "ended").getString("status"), 1L, Long::sum);
                }
                double took = (System.currentTimeMillis() - t0) / 1e3;
                line(String.format("| %d deployments at once, %d fleets of %d simulated instances (%s, %s) | "
                        + "all ended %.1f s after the first request: %s |", n, n, size,
                        version.equals("1.0.0") ? "provision" : "update", version, took, outcomes));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** The highest resident memory of each service and agent, sampled every second. */
    private static final class PeakMemory {
        private final Platform platform;
        private final Map<String, Long> highest = new LinkedHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        PeakMemory(Platform platform) {
            this.platform = platform;
            this.thread = new Thread(this::sample, "peak-memory");
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void sample() {
            while (running.get()) {
                Map<String, Long> now = new LinkedHashMap<>(platform.residentMemoryMiB());
                now.putAll(platform.agentResidentMemoryMiB());
                synchronized (highest) {
                    now.forEach((name, mib) -> highest.merge(name, mib, Math::max));
                }
                PlatformApi.sleep(1000);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }

        Map<String, Long> highest() {
            synchronized (highest) {
                return new LinkedHashMap<>(highest);
            }
        }
    }

    private static Duration timeout() {
        return Duration.ofMinutes(Integer.getInteger("bench.scale.timeoutMinutes", 15));
    }

    private static String loadAverage() {
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
