package dev.stagecraft.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

/**
 * The kill -9 fault suite, N times, for figures: not a test (its name does not end in Test) and not run by
 * {@code ./mvnw verify}. Run it with {@code ./mvnw -B verify -pl e2e-tests -Pfaults -Dfaults.runs=30}
 * ({@code -Dfaults.seed=N} repeats a sequence). {@code KillAndRestartEndToEndTest} runs each case once in the test
 * command; this runs them many times, at random points.
 *
 * <p>Each run rolls a fleet of 4 slow-starting instances to a new release, kills one service with SIGKILL at a random
 * moment 1–10 s into the deployment (rollout-service, inventory-service and health-monitor in turn), restarts it at
 * once and waits for the end. Every fourth release never becomes ready, and must roll back. Per run it records the
 * outcome against the one the release deserves, the time from the restart to the end, whether a deadline was missed
 * (an answer that never came: the timeline says so), and the fleet after it (4 instances, all on the version the
 * outcome implies: nothing doubled or orphaned). It prints a table and writes it to
 * {@code target/e2e-work-faults/fault-runs.md}, then fails if any run ended otherwise than deserved.
 */
class FaultRuns {
    private static final String SERVICE = "faults";
    private static final String ENV = "staging";
    private static final int REPLICAS = 4;
    private static final String ROLLING = "{\"type\":\"rolling\",\"maxUnavailable\":1}";
    private static final List<String> VICTIMS = List.of("rollout-service", "inventory-service", "health-monitor");

    record Run(int n, String victim, long killAfterMs, String version, String deserved, String ended,
            double restartToEndSeconds, boolean deadlineMissed, int instances, boolean fleetAsDeserved) {
        boolean asDeserved() {
            return deserved.equals(ended) && fleetAsDeserved;
        }
    }

    @Test
    void killEachServiceAtRandomPoints() throws Exception {
        int runs = Integer.getInteger("faults.runs", 6);
        long seed = Long.getLong("faults.seed", System.nanoTime());
        Random random = new Random(seed);
        List<Run> results = new ArrayList<>();
        try (Platform platform = Platform.start(SharedPlatform.SETTINGS, "e2e-work-faults", SharedPlatform.HOSTS)) {
            PlatformApi api = new PlatformApi(platform);
            api.fleet(SERVICE, ENV, REPLICAS);
            api.release(SERVICE, "1.0.0", Map.of("SAMPLE_STARTUP_DELAY_MS", "1500"));
            JsonPath first = api.awaitEnd(api.deploy(SERVICE, "1.0.0", ENV, ROLLING));
            assertEquals("SUCCEEDED", first.getString("status"), first.prettify());
            String stable = "1.0.0";
            for (int n = 1; n <= runs; n++) {
                String victim = VICTIMS.get((n - 1) % VICTIMS.size());
                boolean bad = n % 4 == 0;
                String version = "1." + n + ".0";
                Map<String, String> config = new LinkedHashMap<>(Map.of("SAMPLE_STARTUP_DELAY_MS", "1500"));
                if (bad) {
                    config.put("SAMPLE_READY_FAIL", "true");
                }
                api.release(SERVICE, version, config);
                long killAfter = 1_000 + random.nextInt(9_000);
                String id = api.deploy(SERVICE, version, ENV, ROLLING);
                PlatformApi.sleep(killAfter);
                platform.kill(victim);
                long restarted = System.currentTimeMillis();
                platform.restart(victim);
                platform.awaitReady(Duration.ofSeconds(120), List.of(victim));
                JsonPath end = api.awaitEnd(id);
                double seconds = (System.currentTimeMillis() - restarted) / 1e3;
                String deserved = bad ? "ROLLED_BACK" : "SUCCEEDED";
                String expectedVersion = "SUCCEEDED".equals(end.getString("status")) ? version : stable;
                List<String> versions = api.instances(SERVICE, ENV).getList("version");
                boolean missed = PlatformApi.timeline(end).stream().anyMatch(m -> m.contains("missed its deadline"));
                boolean fleetAsDeserved = versions.size() == REPLICAS
                        && Set.copyOf(versions).equals(Set.of(expectedVersion));
                Run run = new Run(n, victim, killAfter, version, deserved, end.getString("status"), seconds, missed,
                        versions.size(), fleetAsDeserved);
                results.add(run);
                System.out.printf("fault run %d/%d: %s killed %.1f s into %s (%s deserved): %s %.1f s after the restart,"
                        + " deadline missed: %s, fleet: %s%n", n, runs, victim, killAfter / 1e3, version, deserved,
                        run.ended(), seconds, missed, versions);
                if ("SUCCEEDED".equals(run.ended())) {
                    stable = version;
                }
            }
            List<String> table = table(results, seed);
            table.forEach(System.out::println);
            Files.write(platform.workDir.resolve("fault-runs.md"), table);
        }
        List<Run> wrong = results.stream().filter(r -> !r.asDeserved()).toList();
        assertEquals(List.of(), wrong, "runs that did not end as their release deserved");
    }

    private static List<String> table(List<Run> results, long seed) {
        List<String> lines = new ArrayList<>();
        lines.add("kill -9 at a random point 1-10 s into a rolling deployment of 4 instances, restarted at once"
                + " (seed " + seed + ", " + results.size() + " runs)");
        lines.add("");
        lines.add("| service | runs | as deserved | deadline missed | restart → end: median | worst |");
        lines.add("|---|---|---|---|---|---|");
        for (String victim : VICTIMS) {
            List<Run> of = results.stream().filter(r -> r.victim().equals(victim)).toList();
            if (of.isEmpty()) {
                continue;
            }
            List<Double> times = of.stream().map(Run::restartToEndSeconds).sorted().toList();
            lines.add(String.format("| %s | %d | %d | %d | %.1f s | %.1f s |", victim, of.size(),
                    of.stream().filter(Run::asDeserved).count(), of.stream().filter(Run::deadlineMissed).count(),
                    times.get(times.size() / 2), times.get(times.size() - 1)));
        }
        return lines;
    }
}
