package dev.stagecraft.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.stagecraft.contracts.Topics;
import dev.stagecraft.devinfra.CloudEventsTestClient;
import dev.stagecraft.devinfra.LoadLoop;
import io.restassured.path.json.JsonPath;

/**
 * The fault suite of the test command. kill -9 of each service in the middle of a deployment of four slow-starting
 * instances, with users' requests going through the fleet's router, and a restart 5 s later: rollout-service in a
 * canary, health-monitor in a blue/green deployment, inventory-service and release-service in a rolling one and a
 * canary. Each deployment must still end SUCCEEDED, soon after the restart, with the fleet whole (on the hosts, one
 * process per row and none without) and no request failed. Answers given while a service was down are read in
 * whatever order the topics yield them; none may be lost, and no deadline may be judged before they are read. Then
 * SIGSTOP for longer than the session timeout of rollout-service, and of inventory-service with duplicates and poison
 * records on top, and SIGSTOP of the broker and of the database for 20 s: every deployment ends as its release
 * deserves. Prints the time from restart (or SIGCONT) to the end, and the saga's hop latency from the records'
 * timestamps. {@link FaultRuns} runs the kills many times, at random points.
 * <p>
 * It runs on the shared platform: the classes that run after it use services that were killed and frozen, which is
 * what a crash must leave behind (nothing a user can tell), and it saves a platform start.
 */
@ExtendWith(SharedPlatform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KillAndRestartEndToEndTest {
    private static final String SERVICE = "ledger";
    private static final String ENV = "staging";
    private static final int REPLICAS = 4;
    private static final Map<String, String> SLOW_START = Map.of("SAMPLE_STARTUP_DELAY_MS", "1500");
    private static final String ROLLING = "{\"type\":\"rolling\",\"maxUnavailable\":1}";
    /** Two short canary steps, judged on the load the kill cases send through the fleet's router. */
    private static final String CANARY = """
            {"type":"canary","steps":[{"weight":25,"analysis":"4s"},{"weight":50,"analysis":"4s"}],
             "analysis":{"minRequests":10,"interval":"1s"}}""";
    /** Blue is kept 2 s after the switch (30 s by default), so the deployment ends soon after it. */
    private static final String BLUE_GREEN = "{\"type\":\"blue-green\",\"scaleDownDelay\":\"2s\"}";
    /**
     * A restarted service, once ready, carries the deployment on at least this soon: well under a verifying deadline
     * (90 s, which the lost verdict used to wait out before the deployment rolled back). Generous, because on a
     * loaded machine the first probe after a restart alone can take several seconds; the figure printed is the
     * measure, this bound the guard.
     */
    private static final Duration RESUME_GOAL = Duration.ofSeconds(30);
    /** Longer than the Kafka session timeout (10 s): the stalled consumer is out of its group when it wakes. */
    private static final Duration STALL = Duration.ofSeconds(13);
    /** How long the broker or the database stays frozen: longer than a session timeout and a request timeout. */
    private static final Duration SERVER_STALL = Duration.ofSeconds(20);

    static Platform platform;
    static PlatformApi api;
    static final List<String> deployments = new ArrayList<>();
    static final List<String> figures = new ArrayList<>();

    @BeforeAll
    static void startPlatform(Platform shared) throws Exception {
        platform = shared;
        api = new PlatformApi(platform);
        api.fleet(SERVICE, ENV, REPLICAS);
        for (String version : List.of("1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0", "1.6.0", "1.7.0", "1.8.0")) {
            api.release(SERVICE, version, SLOW_START);
        }
        String first = api.deploy(SERVICE, "1.0.0", ENV, ROLLING);
        deployments.add(first);
        JsonPath provisioned = api.awaitEnd(first);
        assertEquals("SUCCEEDED", provisioned.getString("status"), provisioned.prettify());
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        if (platform == null) {
            return;
        }
        figures.add(hopLatency());
        figures.forEach(System.out::println);
        Files.write(platform.workDir.resolve("fault-figures.txt"), figures);
    }

    @Test
    @Order(1)
    void killingRolloutServiceMidCanaryLosesNoAnswer() throws Exception {
        killAndRestartDuring("1.1.0", CANARY, "rollout-service");
    }

    @Test
    @Order(2)
    void killingHealthMonitorMidBlueGreenLosesNoVerdict() throws Exception {
        killAndRestartDuring("1.2.0", BLUE_GREEN, "health-monitor");
    }

    /** Under host agents the instances outlive it; a step it had in flight is carried out again, nothing doubled. */
    @Test
    @Order(3)
    void killingInventoryServiceMidRollingDeploymentLosesNothing() throws Exception {
        killAndRestartDuring("1.3.0", ROLLING, "inventory-service");
    }

    /** The saga does not need it; once back, it reads the outcome it missed and shows the deployment's end. */
    @Test
    @Order(4)
    void killingReleaseServiceMidCanaryLosesNoOutcome() throws Exception {
        killAndRestartDuring("1.4.0", CANARY, "release-service");
    }

    @Test
    @Order(5)
    void stallingRolloutServiceMidDeploymentLosesNothing() throws Exception {
        stallDuring("1.5.0", "rollout-service", false);
    }

    /** inventory-service frozen with a step in flight; once it runs again, duplicates and poison arrive too. */
    @Test
    @Order(6)
    void stallingInventoryServiceMidDeploymentThenDuplicatesAndPoisonLoseNothing() throws Exception {
        stallDuring("1.6.0", "inventory-service", true);
    }

    /** The broker frozen for 20 s with a step in flight: every service's producers and consumers wait for it. */
    @Test
    @Order(7)
    void stallingTheBrokerMidDeploymentLosesNothing() throws Exception {
        stallServerDuring("1.7.0", "kafka");
    }

    /** The database frozen for 20 s, every connection to it included: every service's transactions wait for it. */
    @Test
    @Order(8)
    void stallingTheDatabaseMidDeploymentLosesNothing() throws Exception {
        stallServerDuring("1.8.0", "postgres");
    }

    /**
     * SIGSTOP of the broker or the database 4 s into a rolling deployment, for 20 s, then SIGCONT: nothing is lost
     * or applied twice, and the deployment ends as its release deserves. Writes that failed meanwhile are retried
     * (outbox rows stay until the broker acknowledges them; transient database errors are retried without limit).
     */
    private static void stallServerDuring(String version, String server) throws Exception {
        String id = api.deploy(SERVICE, version, ENV, ROLLING);
        deployments.add(id);
        PlatformApi.sleep(4_000);
        assertEquals("IN_PROGRESS", api.deployment(id).getString("status"), "still rolling when " + server + " stalls");
        platform.stallServer(server, true);
        try {
            PlatformApi.sleep(SERVER_STALL.toMillis());
        } finally {
            platform.stallServer(server, false);
        }
        long resumedAt = System.currentTimeMillis();
        JsonPath end = api.awaitEnd(id);
        long ended = System.currentTimeMillis();
        List<String> versions = api.instances(SERVICE, ENV).getList("version");
        String figure = String.format("SIGSTOP %s 4 s into a rolling deployment of %d instances for %d s, then SIGCONT:"
                + " deployment %s %.1f s after SIGCONT, instances after it: %d", server, REPLICAS,
                SERVER_STALL.toSeconds(), end.getString("status"), (ended - resumedAt) / 1e3, versions.size());
        figures.add(figure);
        System.out.println(figure);
        assertEquals("SUCCEEDED", end.getString("status"), String.join("\n", PlatformApi.timeline(end)));
        assertEquals(REPLICAS, versions.size(), "no instance doubled or lost: " + versions);
        assertEquals(Set.of(version), Set.copyOf(versions), "every instance runs " + version);
    }

    /**
     * SIGSTOP of one service 4 s into a rolling deployment, for longer than the Kafka session timeout (10 s), then
     * SIGCONT: the frozen consumer has lost its group membership and its uncommitted records, rejoins, reads them
     * again; the inbox and the step answers keep every step applied once. With {@code duplicatesAndPoison}, every
     * step request of the deployment so far is published again (same ids: skipped by the inbox) and poison records
     * keyed by the deployment go onto the three saga topics (dead-lettered, nothing stuck).
     */
    private static void stallDuring(String version, String victim, boolean duplicatesAndPoison) throws Exception {
        String id = api.deploy(SERVICE, version, ENV, ROLLING);
        deployments.add(id);
        PlatformApi.sleep(4_000);
        assertEquals("IN_PROGRESS", api.deployment(id).getString("status"), "still rolling when " + victim + " stalls");
        platform.stall(victim, true);
        PlatformApi.sleep(STALL.toMillis());
        platform.stall(victim, false);
        long resumedAt = System.currentTimeMillis();
        int duplicates = 0;
        if (duplicatesAndPoison) {
            duplicates = republishStepRequests(id);
            publishPoison(id);
        }
        JsonPath end = api.awaitEnd(id);
        long ended = System.currentTimeMillis();
        long output = firstOutputAfter(victim, id, resumedAt);
        List<String> versions = api.instances(SERVICE, ENV).getList("version");
        String figure = String.format("SIGSTOP %s 4 s into a rolling deployment of %d instances for %d s, then SIGCONT:"
                + " its first output for the deployment %.1f s after SIGCONT, deployment %s %.1f s after SIGCONT%s",
                victim, REPLICAS, STALL.toSeconds(), (output - resumedAt) / 1e3, end.getString("status"),
                (ended - resumedAt) / 1e3, duplicatesAndPoison ? "; " + duplicates + " step requests published again"
                        + " and 3 poison records, instances after it: " + versions.size() : "");
        figures.add(figure);
        System.out.println(figure);
        assertEquals("SUCCEEDED", end.getString("status"), String.join("\n", PlatformApi.timeline(end)));
        assertEquals(REPLICAS, versions.size(), "no instance doubled or lost: " + versions);
        assertEquals(Set.of(version), Set.copyOf(versions), "every instance runs " + version);
        if (duplicatesAndPoison) {
            try (CloudEventsTestClient kafka = new CloudEventsTestClient(platform.bootstrapServers())) {
                for (String dlq : List.of("inventory-service", "health-monitor", "rollout-service")) {
                    kafka.await(Topics.deadLetter(dlq), r -> id.equals(r.key()), Duration.ofSeconds(60));
                }
            }
        }
    }

    /** Every step request of the deployment so far, published again as it was (same ce_id): redeliveries. */
    private static int republishStepRequests(String id) {
        try (CloudEventsTestClient kafka = new CloudEventsTestClient(platform.bootstrapServers())) {
            List<ConsumerRecord<String, String>> requests = kafka.readAll(Topics.ROLLOUT_STEPS, Duration.ofSeconds(2))
                    .stream().filter(r -> id.equals(r.key())).toList();
            for (ConsumerRecord<String, String> r : requests) {
                Map<String, String> headers = new java.util.LinkedHashMap<>();
                r.headers().forEach(h -> headers.put(h.key(), new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
                kafka.publishRaw(Topics.ROLLOUT_STEPS, r.key(), r.value(), headers);
            }
            return requests.size();
        }
    }

    /** A record that is no CloudEvent, keyed by the deployment, on each topic a service consumes. */
    private static void publishPoison(String id) {
        try (CloudEventsTestClient kafka = new CloudEventsTestClient(platform.bootstrapServers())) {
            for (String topic : List.of(Topics.ROLLOUT_STEPS, Topics.INSTANCES, Topics.HEALTH)) {
                kafka.publishRaw(topic, id, "poison: not a CloudEvent", Map.of());
            }
        }
    }

    /**
     * kill -9 of {@code victim} 4 s into a deployment with {@code strategyJson}, a restart 5 s later, with users'
     * requests going through the fleet's router all along: the deployment ends SUCCEEDED with the fleet whole on the
     * new release (nothing doubled), and not one request fails.
     */
    private static void killAndRestartDuring(String version, String strategyJson, String victim) throws Exception {
        String strategy = JsonPath.from(strategyJson).getString("type");
        LoadLoop.Result load;
        long restarted;
        long ready;
        String id;
        try (LoadLoop users = LoadLoop.start(api.routerUrl(SERVICE, ENV), 2, 30_000, Duration.ofSeconds(150),
                Duration.ofMillis(10))) {
            id = api.deploy(SERVICE, version, ENV, strategyJson);
            deployments.add(id);
            PlatformApi.sleep(4_000);
            assertEquals("IN_PROGRESS", api.deployment(id).getString("status"), "still deploying when " + victim
                    + " dies");
            platform.kill(victim);
            PlatformApi.sleep(5_000);
            restarted = System.currentTimeMillis();
            platform.restart(victim);
            platform.awaitReady(Duration.ofSeconds(90), List.of(victim));
            ready = System.currentTimeMillis();
            api.awaitEnd(id);
            load = users.stop();
        }
        JsonPath end = api.deployment(id);
        long ended = System.currentTimeMillis();
        long resumed = firstOutputAfter(victim, id, restarted);
        List<String> versions = api.instances(SERVICE, ENV).getList("version");
        String figure = String.format("kill -9 %s 4 s into a %s deployment of %d instances, restarted 5 s later:"
                + " ready %.1f s after the restart, its first output for the deployment %s after the restart,"
                + " deployment %s %.1f s after the restart (%.1f s after ready); %d requests through the router,"
                + " %d failed; instances after it: %d", victim, strategy, REPLICAS, (ready - restarted) / 1e3,
                resumed < 0 ? "(none: it only reads the outcome)" : String.format("%.1f s", (resumed - restarted) / 1e3),
                end.getString("status"), (ended - restarted) / 1e3, (ended - ready) / 1e3, load.requests(),
                load.failed(), versions.size());
        figures.add(figure);
        System.out.println(figure);
        assertEquals("SUCCEEDED", end.getString("status"), String.join("\n", PlatformApi.timeline(end)));
        assertEquals(REPLICAS, versions.size(), "no instance doubled or lost: " + versions);
        assertEquals(Set.of(version), Set.copyOf(versions), "every instance runs " + version);
        assertEquals(0, load.failed(), "a crash of the control plane fails no user's request: " + load.failures());
        double matched = api.awaitProcessesMatchRows(SERVICE, ENV);
        System.out.printf("the hosts' processes for %s matched its rows %.1f s after the end%n", SERVICE, matched);
        // Resuming must not wait for a deadline (90 s) to ask again.
        assertTrue((resumed < 0 ? ended : resumed) - ready <= RESUME_GOAL.toMillis(), figure);
    }

    /**
     * When the restarted service first published something for the deployment: rollout-service a step request,
     * health-monitor a verdict (the records' own timestamps, set when produced).
     */
    private static long firstOutputAfter(String victim, String id, long after) {
        String topic = switch (victim) {
            case "rollout-service" -> Topics.ROLLOUT_STEPS;
            case "inventory-service" -> Topics.INSTANCES;
            case "health-monitor" -> Topics.HEALTH;
            default -> null;
        };
        if (topic == null) {
            return -1;
        }
        try (CloudEventsTestClient kafka = new CloudEventsTestClient(platform.bootstrapServers())) {
            // One deployment's records share a partition: the first found after the restart is the earliest.
            return kafka.await(topic, r -> id.equals(r.key()) && r.timestamp() >= after, Duration.ofSeconds(60))
                    .timestamp();
        }
    }

    /**
     * How long rollout-service takes from an answer to the request it causes: for each step request, the time since
     * the answer just before it on the same deployment (records' own timestamps, set when each was produced).
     */
    private static String hopLatency() {
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        try (CloudEventsTestClient kafka = new CloudEventsTestClient(platform.bootstrapServers())) {
            for (String topic : List.of(Topics.INSTANCES, Topics.HEALTH, Topics.ROLLOUT_STEPS)) {
                all.addAll(kafka.readAll(topic, Duration.ofSeconds(3)));
            }
        }
        List<Long> hops = new ArrayList<>();
        for (String id : deployments) {
            List<ConsumerRecord<String, String>> mine = all.stream().filter(r -> id.equals(r.key()))
                    .sorted(Comparator.comparingLong(ConsumerRecord::timestamp)).toList();
            ConsumerRecord<String, String> lastAnswer = null;
            for (ConsumerRecord<String, String> r : mine) {
                if (r.topic().equals(Topics.ROLLOUT_STEPS)) {
                    if (lastAnswer != null) {
                        hops.add(r.timestamp() - lastAnswer.timestamp());
                    }
                    lastAnswer = null;
                } else {
                    lastAnswer = r;
                }
            }
        }
        List<Long> sorted = hops.stream().sorted().toList();
        if (sorted.isEmpty()) {
            return "saga hop latency: no hops seen";
        }
        return String.format("saga hop latency (answer → next step request, %d hops, kills included): median %d ms,"
                + " p90 %d ms, min %d ms", sorted.size(), sorted.get(sorted.size() / 2),
                sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.9) - 1)), sorted.get(0));
    }

}
