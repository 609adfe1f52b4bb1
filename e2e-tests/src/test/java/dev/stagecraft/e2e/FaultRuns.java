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

import dev.stagecraft.devinfra.LoadLoop;
import io.restassured.path.json.JsonPath;

/**
 * The kill -9 fault suite, N times, for figures: not a test (its name does not end in Test) and not run by
 * {@code ./mvnw verify}. Run it with {@code ./mvnw -B verify -pl e2e-tests -Pfaults -Dfaults.runs=30}
 * ({@code -Dfaults.seed=N} repeats a sequence). {@code KillAndRestartEndToEndTest} runs each case once in the test
 * command; this runs them many times, at random points.
 *
 * <p>Each run deploys a new release to a fleet of 4 slow-starting instances, kills one service with SIGKILL at a random
 * moment 1–10 s into the deployment (release-service, rollout-service, inventory-service and health-monitor in turn),
 * restarts it at once and waits for the end, with users' requests going through the fleet's router all along. The
 * strategy changes every four runs (rolling, canary, blue/green), so twelve runs try each service under each strategy.
 * Every fifth release never becomes ready, and must roll back. Per run it records the outcome against the one the
 * release deserves, the time from the restart to the end, whether a deadline was missed (an answer that never came:
 * the timeline says so), the fleet after it (4 instances, all on the version the outcome implies, and on the hosts
 * one process for each row and none without: nothing doubled or orphaned) and the requests that failed. It prints a
 * table, writes it to {@code target/e2e-work-faults/fault-runs.md} and docs/performance.md, then fails if any run ended
 * otherwise than deserved.
 */
class FaultRuns {
    private static final String SERVICE = "faults";
    private static final String ENV = "staging";
    private static final int REPLICAS = 4;
    private static final Map<String, String> STRATEGIES = Map.of(
            "rolling", "{\"type\":\"rolling\",\"maxUnavailable\":1}",
            "canary", """
                    {"type":"canary","steps":[{"weight":25,"analysis":"4s"},{"weight":50,"analysis":"4s"}],
                     "analysis":{"minRequests":10,"interval":"1s"}}""",
            "blue-green", "{\"type\":\"blue-green\",\"scaleDownDelay\":\"2s\"}");
    private static final List<String> STRATEGY_ORDER = List.of("rolling", "canary", "blue-green");
    private static final List<String> VICTIMS = List.of("release-service", "rollout-service", "inventory-service",
            "health-monitor");

    record Run(int n, String victim, String strategy, long killAfterMs, String version, String deserved,
            String ended, double restartToEndSeconds, double delaySeconds, boolean deadlineMissed, int instances,
            boolean fleetAsDeserved, int requests, int failedRequests) {
        boolean asDeserved() {
            return deserved.equals(ended) && fleetAsDeserved && failedRequests == 0;
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
            String routerUrl = api.fleet(SERVICE, ENV, REPLICAS);
            api.release(SERVICE, "1.0.0", Map.of("SAMPLE_STARTUP_DELAY_MS", "1500"));
            JsonPath first = api.awaitEnd(api.deploy(SERVICE, "1.0.0", ENV, STRATEGIES.get("rolling")));
            assertEquals("SUCCEEDED", first.getString("status"), first.prettify());
            // What each strategy takes undisturbed, under the same load: a run's delay is its length beyond that.
            Map<String, Double> baseline = new LinkedHashMap<>();
            String stable = "1.0.0";
            for (String strategy : STRATEGY_ORDER) {
                stable = "1.0." + (baseline.size() + 1);
                api.release(SERVICE, stable, Map.of("SAMPLE_STARTUP_DELAY_MS", "1500"));
                try (LoadLoop users = LoadLoop.start(routerUrl, 2, 30_000, Duration.ofSeconds(180),
                        Duration.ofMillis(10))) {
                    long requested = System.currentTimeMillis();
                    JsonPath end = api.awaitEnd(api.deploy(SERVICE, stable, ENV, STRATEGIES.get(strategy)));
                    assertEquals("SUCCEEDED", end.getString("status"), end.prettify());
                    baseline.put(strategy, (System.currentTimeMillis() - requested) / 1e3);
                    users.stop();
                }
                System.out.printf("undisturbed %s deployment: %.1f s%n", strategy, baseline.get(strategy));
            }
            for (int n = 1; n <= runs; n++) {
                String victim = VICTIMS.get((n - 1) % VICTIMS.size());
                String strategy = STRATEGY_ORDER.get((n - 1) / VICTIMS.size() % STRATEGY_ORDER.size());
                boolean bad = n % 5 == 0;
                String version = "1." + n + ".0";
                Map<String, String> config = new LinkedHashMap<>(Map.of("SAMPLE_STARTUP_DELAY_MS", "1500"));
                if (bad) {
                    config.put("SAMPLE_READY_FAIL", "true");
                }
                api.release(SERVICE, version, config);
                long killAfter = 1_000 + random.nextInt(9_000);
                LoadLoop.Result load;
                long requested;
                long restarted;
                JsonPath end;
                double seconds;
                try (LoadLoop users = LoadLoop.start(routerUrl, 2, 30_000, Duration.ofSeconds(180),
                        Duration.ofMillis(10))) {
                    requested = System.currentTimeMillis();
                    String id = api.deploy(SERVICE, version, ENV, STRATEGIES.get(strategy));
                    PlatformApi.sleep(killAfter);
                    platform.kill(victim);
                    restarted = System.currentTimeMillis();
                    platform.restart(victim);
                    platform.awaitReady(Duration.ofSeconds(120), List.of(victim));
                    end = api.awaitEnd(id);
                    seconds = (System.currentTimeMillis() - restarted) / 1e3;
                    load = users.stop();
                }
                String deserved = bad ? "ROLLED_BACK" : "SUCCEEDED";
                String expectedVersion = "SUCCEEDED".equals(end.getString("status")) ? version : stable;
                List<String> versions = api.instances(SERVICE, ENV).getList("version");
                boolean missed = PlatformApi.timeline(end).stream().anyMatch(m -> m.contains("missed its deadline"));
                boolean processesMatchRows;
                try {
                    api.awaitProcessesMatchRows(SERVICE, ENV);
                    processesMatchRows = true;
                } catch (AssertionError orphanedOrDoubled) {
                    System.out.println(orphanedOrDoubled.getMessage());
                    processesMatchRows = false;
                }
                boolean fleetAsDeserved = versions.size() == REPLICAS
                        && Set.copyOf(versions).equals(Set.of(expectedVersion)) && processesMatchRows;
                // A release that rolls back takes another path than the undisturbed one: no delay is computed for it.
                double delay = bad ? Double.NaN
                        : (System.currentTimeMillis() - requested) / 1e3 - baseline.get(strategy);
                Run run = new Run(n, victim, strategy, killAfter, version, deserved, end.getString("status"), seconds,
                        delay, missed, versions.size(), fleetAsDeserved, load.requests(), load.failed());
                results.add(run);
                System.out.printf("fault run %d/%d: %s killed %.1f s into %s %s (%s deserved): %s %.1f s after the"
                        + " restart (%s), deadline missed: %s, fleet: %s, requests %d,"
                        + " failed %d %s%n", n, runs, victim, killAfter / 1e3, strategy, version, deserved, run.ended(),
                        seconds, bad ? "a rollback: no undisturbed length to compare"
                                : String.format("%.1f s longer than undisturbed", delay), missed, versions,
                        load.requests(), load.failed(), load.failures().stream().limit(3).toList());
                if ("SUCCEEDED".equals(run.ended())) {
                    stable = version;
                }
            }
            List<String> table = table(results, seed, baseline);
            table.forEach(System.out::println);
            Files.write(platform.workDir.resolve("fault-runs.md"), table);
            BenchmarkReport.publish(platform.root, "faults", table);
        }
        List<Run> wrong = results.stream().filter(r -> !r.asDeserved()).toList();
        assertEquals(List.of(), wrong, "runs that did not end as their release deserved");
    }

    private static List<String> table(List<Run> results, long seed, Map<String, Double> baseline) {
        List<String> lines = new ArrayList<>();
        lines.add("Latest run of `FaultRuns`, " + java.time.Instant.now() + ", load average at the end "
                + SagaBenchmark.loadAverage() + ": kill -9 at a random point 1-10 s into a deployment of 4 instances (rolling, canary, blue/green),"
                + " restarted at once, under load through the fleet's router (seed " + seed + ", " + results.size()
                + " runs)");
        lines.add("");
        lines.add("Undisturbed, under the same load: " + String.join(", ", baseline.entrySet().stream()
                .map(e -> String.format("%s %.1f s", e.getKey(), e.getValue())).toList()) + ". \"Longer\" is a"
                + " successful run's length beyond its strategy's undisturbed one: what the kill and the restart cost.");
        lines.add("");
        lines.add("| service | strategies | runs | as deserved | deadline missed | requests (failed) |"
                + " restart → end: median | worst | longer: median | worst |");
        lines.add("|---|---|---|---|---|---|---|---|---|---|");
        for (String victim : VICTIMS) {
            List<Run> of = results.stream().filter(r -> r.victim().equals(victim)).toList();
            if (of.isEmpty()) {
                continue;
            }
            List<Double> times = of.stream().map(Run::restartToEndSeconds).sorted().toList();
            List<Double> delays = of.stream().map(Run::delaySeconds).filter(d -> !d.isNaN()).sorted().toList();
            lines.add(String.format("| %s | %s | %d | %d | %d | %d (%d) | %.1f s | %.1f s | %s | %s |", victim,
                    String.join(", ", of.stream().map(Run::strategy).distinct().toList()), of.size(),
                    of.stream().filter(Run::asDeserved).count(), of.stream().filter(Run::deadlineMissed).count(),
                    of.stream().mapToInt(Run::requests).sum(), of.stream().mapToInt(Run::failedRequests).sum(),
                    times.get(times.size() / 2), times.get(times.size() - 1),
                    delays.isEmpty() ? "–" : String.format("%.1f s", delays.get(delays.size() / 2)),
                    delays.isEmpty() ? "–" : String.format("%.1f s", delays.get(delays.size() - 1))));
        }
        return lines;
    }
}
