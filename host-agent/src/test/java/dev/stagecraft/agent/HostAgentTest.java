package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.HostHeartbeat;
import dev.stagecraft.contracts.InstanceSpec;
import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.contracts.InstanceStatusReport;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.secrets.SecretBox;
import dev.stagecraft.contracts.secrets.SecretScope;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a real broker, with real sample-app processes and real HTTP. Each test is its own host on its
 * own loopback address; every instance it started is killed after it (instances outlive agents on purpose).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostAgentTest {
    private static final Duration START = Duration.ofSeconds(30);

    private AgentHarness harness;
    private final List<HostAgent> agents = new ArrayList<>();
    private String hostId;

    @TempDir
    Path stateDir;

    @BeforeAll
    void broker() throws Exception {
        harness = new AgentHarness();
    }

    @AfterEach
    void killEverything() throws Exception {
        agents.forEach(HostAgent::close);
        agents.clear();
        if (hostId != null) {
            harness.killEverything(hostId, stateDir);
        }
    }

    @AfterAll
    void stopBroker() throws Exception {
        harness.close();
    }

    private HostAgent agent(AgentConfig config) {
        HostAgent agent = HostAgent.start(config);
        agents.add(agent);
        return agent;
    }

    @Test
    void startsOnItsOwnAddressRestartsAKilledInstanceOnTheSamePortAndStopsIt() throws Exception {
        hostId = "h-start";
        String address = "127.0.0.2";
        agent(harness.config(hostId, address, stateDir));
        InstanceSpec spec = TestSpecs.sampleApp("i-start1", "1.0.0", 1, Map.of());

        String started = harness.start(hostId, spec);
        InstanceStatus running = harness.status.await(hostId, "i-start1", START, "RUNNING",
                r -> InstanceStatus.RUNNING.equals(r.instance().state())).instance();
        long pid = harness.track(running.pid());
        int port = running.port();
        assertEquals(address, running.address());
        assertEquals(0, running.restarts());
        assertEquals(InstanceStatus.STARTING, harness.status.await(hostId, "i-start1", START, "answering the command",
                r -> started.equals(r.commandId())).instance().state());

        HttpResponse<String> root = AgentHarness.get(address, port, "/");
        assertEquals(200, root.statusCode());
        assertEquals("{\"version\":\"1.0.0\",\"instance\":\"i-start1\"}", root.body());
        assertFalse(AgentHarness.answers("127.0.0.1", port), "binds the host's own address only");
        assertEquals(pid, ProcStat.of(pid).orElseThrow().session(), "leads a session of its own, detached from the agent");
        assertTrue(Files.exists(stateDir.resolve("instances/i-start1.json")));

        // The same START again changes nothing and is answered with the current state.
        String again = harness.start(hostId, spec);
        InstanceStatus repeated = harness.status.await(hostId, "i-start1", START, "answering the repeat",
                r -> again.equals(r.commandId())).instance();
        assertEquals(InstanceStatus.RUNNING, repeated.state());
        assertEquals(pid, repeated.pid());

        long killedAt = System.nanoTime();
        AgentHarness.killHard(pid);
        InstanceStatus crashed = harness.status.await(hostId, "i-start1", START, "in backoff",
                r -> InstanceStatus.CRASH_LOOP_BACKOFF.equals(r.instance().state())).instance();
        assertEquals("killed by signal 9", crashed.lastExit());
        assertNotNull(crashed.nextRestartAt());
        InstanceStatus restarted = harness.status.await(hostId, "i-start1", START, "RUNNING again",
                r -> InstanceStatus.RUNNING.equals(r.instance().state()) && r.instance().restarts() == 1).instance();
        harness.track(restarted.pid());
        Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("restarted after kill -9 in %d ms%n", took.toMillis());
        assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "restarted within a few seconds, took " + took);
        assertNotEquals(pid, restarted.pid());
        assertEquals(port, restarted.port(), "same port: the instance's address never changes");
        assertTrue(AgentHarness.answers(address, port));

        // Its metrics, where its heartbeats say: the restart counted for this instance, the states of what it keeps.
        Instant afterRestart = Instant.now();
        HostHeartbeat beat = harness.status.awaitHeartbeat(hostId, Duration.ofSeconds(10),
                h -> h.at().isAfter(afterRestart) && h.metricsPort() > 0);
        String metrics = AgentHarness.get(address, beat.metricsPort(), "/metrics").body();
        String labels = "{host=\"" + hostId + "\",service=\"shop\",environment=\"staging\",instance_id=\"i-start1\"}";
        assertEquals(1, metricValue(metrics, "stagecraft_instance_restarts_total" + labels));
        assertEquals(1, metricValue(metrics, "stagecraft_agent_instances{host=\"" + hostId + "\",state=\"RUNNING\"}"));
        assertEquals(0, metricValue(metrics, "stagecraft_agent_instances{host=\"" + hostId + "\",state=\"CRASH_LOOP_BACKOFF\"}"));
        assertTrue(metricValue(metrics, "stagecraft_agent_last_heartbeat_timestamp_seconds{host=\"" + hostId + "\"}")
                > afterRestart.getEpochSecond() - 30, "a heartbeat taken by the broker lately");
        assertTrue(metricValue(metrics, "process_resident_memory_bytes") > 1_000_000);

        String stopped = harness.stop(hostId, "i-start1");
        InstanceStatus gone = harness.status.await(hostId, "i-start1", START, "GONE",
                r -> stopped.equals(r.commandId())).instance();
        assertEquals(InstanceStatus.GONE, gone.state());
        assertTrue(ProcStat.of(restarted.pid()).filter(s -> !s.ended()).isEmpty(), "its process has ended");
        assertFalse(AgentHarness.answers(address, port));
        assertFalse(Files.exists(stateDir.resolve("instances/i-start1.json")), "its record is gone");
        String afterStop = AgentHarness.get(address, beat.metricsPort(), "/metrics").body();
        assertEquals(0, metricValue(afterStop, "stagecraft_agent_instances{host=\"" + hostId + "\",state=\"RUNNING\"}"));
        assertFalse(afterStop.contains("instance_id=\"i-start1\""), "a stopped instance leaves the metrics");

        String stoppedAgain = harness.stop(hostId, "i-start1");
        assertEquals(InstanceStatus.GONE, harness.status.await(hostId, "i-start1", START, "GONE again",
                r -> stoppedAgain.equals(r.commandId())).instance().state());

        StatusWatcher.Received any = harness.status.all(hostId).get(0);
        assertEquals("1.0", any.headers().get("ce_specversion"));
        assertEquals("/stagecraft/host-agent/" + hostId, any.headers().get("ce_source"));
        assertEquals(hostId, any.headers().get("ce_subject"));
        assertEquals("application/json", any.headers().get("content-type"));
        assertTrue(List.of(EventTypes.HOST_INSTANCE_STATUS, EventTypes.HOST_HEARTBEAT, EventTypes.HOST_ROUTERS)
                .contains(any.type()), any.type());
    }

    @Test
    void instancesOutliveAKilledAgentAndTheNextAgentAdoptsThemWithoutARestart() throws Exception {
        hostId = "h-adopt";
        String address = "127.0.0.3";
        Process first = harness.startAgentProcess(harness.environment(hostId, address, stateDir),
                stateDir.resolve("agent.log"));
        harness.start(hostId, TestSpecs.sampleApp("i-adopt1", "1.0.0", 1, Map.of()));
        InstanceStatus running = harness.status.await(hostId, "i-adopt1", START, "RUNNING",
                r -> InstanceStatus.RUNNING.equals(r.instance().state())).instance();
        long pid = harness.track(running.pid());
        long startTicks = ProcStat.of(pid).orElseThrow().startTicks();
        StatusWatcher.sleep(3000); // a few heartbeats and liveness checks
        // Scraped first, so that the figure includes the metrics server's share.
        HostHeartbeat announced = harness.status.awaitHeartbeat(hostId, Duration.ofSeconds(10), h -> h.metricsPort() > 0);
        String scraped = AgentHarness.get(address, announced.metricsPort(), "/metrics").body();
        assertEquals(1, metricValue(scraped, "stagecraft_agent_instances{host=\"" + hostId + "\",state=\"RUNNING\"}"));
        long rssKib = rssKib(first.pid());
        System.out.printf("host-agent process_resident_memory_bytes as it reports it: %d MiB%n",
                (long) metricValue(scraped, "process_resident_memory_bytes") / (1024 * 1024));
        System.out.printf("host-agent resident memory with one instance: %d MiB (%s)%n", rssKib / 1024,
                String.join(" ", AgentHarness.AGENT_JAVA_OPTIONS));
        // A regression guard, not the figure: run from this test class path the agent has ~10 MiB more than from its
        // own jar (README gives the jar's, measured the same way).
        assertTrue(rssKib < 128 * 1024, "the agent stays small, has " + rssKib + " KiB resident");

        first.destroyForcibly();    // SIGKILL: no shutdown hook, no goodbye
        first.waitFor();
        StatusWatcher.sleep(1000);
        assertEquals(startTicks, ProcStat.of(pid).orElseThrow().startTicks(), "the instance outlived its agent");
        assertTrue(AgentHarness.answers(address, running.port()));

        Instant restartedAt = Instant.now();
        agent(harness.config(hostId, address, stateDir));
        InstanceStatusReport adopted = harness.status.await(hostId, "i-adopt1", START, "adopted",
                r -> r.at().isAfter(restartedAt));
        assertEquals(InstanceStatus.RUNNING, adopted.instance().state());
        assertEquals(pid, adopted.instance().pid(), "same process");
        assertEquals(0, adopted.instance().restarts());
        HostHeartbeat beat = harness.status.awaitHeartbeat(hostId, Duration.ofSeconds(10),
                h -> h.at().isAfter(restartedAt.plusSeconds(2)));
        assertEquals(List.of(pid), beat.instances().stream().map(InstanceStatus::pid).toList(), "still the same process");
        assertTrue(harness.status.statuses(hostId, "i-adopt1").stream().allMatch(s -> s.restarts() == 0), "never restarted");
        assertTrue(AgentHarness.answers(address, running.port()));
    }

    @Test
    void aRecordWhosePidNowBelongsToAnotherProcessIsNotAdopted() throws Exception {
        hostId = "h-recycled";
        String address = "127.0.0.4";
        Process impostor = new ProcessBuilder("sleep", "60").start();
        try {
            long ticks = ProcStat.of(impostor.pid()).orElseThrow().startTicks();
            InstanceSpec spec = TestSpecs.sampleApp("i-recycled1", "1.0.0", 1, Map.of());
            int port = Ports.freePort(address);
            // What the record of an instance looks like after a reboot gave its pid to someone else.
            new HandleStore(stateDir).save(new InstanceHandle("i-recycled1", spec, InstanceHandle.RUN, address, port,
                    impostor.pid(), ticks + 1, TestSpecs.SAMPLE_APP.toString(), spec.release().artifact().sha256(),
                    InstanceStatus.RUNNING, Instant.now().minusSeconds(60), 0, 0, null, null, null));

            agent(harness.config(hostId, address, stateDir));
            InstanceStatus notAdopted = harness.status.await(hostId, "i-recycled1", START, "not adopted",
                    r -> InstanceStatus.CRASH_LOOP_BACKOFF.equals(r.instance().state())).instance();
            assertTrue(notAdopted.lastExit().contains("another process"), notAdopted.lastExit());
            InstanceStatus running = harness.status.await(hostId, "i-recycled1", START, "RUNNING",
                    r -> InstanceStatus.RUNNING.equals(r.instance().state())).instance();
            harness.track(running.pid());
            assertNotEquals(impostor.pid(), running.pid());
            assertEquals(port, running.port());
            assertEquals(1, running.restarts());
            assertTrue(impostor.isAlive(), "the other process was never signalled");
        } finally {
            impostor.destroyForcibly();
        }
    }

    @Test
    void aCrashingInstanceShowsCrashLoopBackOffWithGrowingDelays() throws Exception {
        hostId = "h-crashloop";
        agent(harness.config(hostId, "127.0.0.5", stateDir));
        harness.start(hostId, TestSpecs.sampleApp("i-crash1", "1.0.0", 1, Map.of("SAMPLE_CRASH_ON_START", "true")));

        harness.status.await(hostId, "i-crash1", START, "in backoff a 4th time",
                r -> InstanceStatus.CRASH_LOOP_BACKOFF.equals(r.instance().state()) && r.instance().restarts() == 3);
        List<InstanceStatus> backoffs = harness.status.statuses(hostId, "i-crash1").stream()
                .filter(s -> InstanceStatus.CRASH_LOOP_BACKOFF.equals(s.state())).toList();
        assertEquals(List.of(200L, 400L, 800L, 1600L), backoffs.stream()
                .map(s -> Duration.between(s.since(), s.nextRestartAt()).toMillis()).limit(4).toList());
        assertEquals(List.of(0, 1, 2, 3), backoffs.stream().map(InstanceStatus::restarts).limit(4).toList());
        assertTrue(backoffs.stream().allMatch(s -> "exit 1".equals(s.lastExit())), backoffs.toString());

        String stopped = harness.stop(hostId, "i-crash1");
        assertEquals(InstanceStatus.GONE, harness.status.await(hostId, "i-crash1", START, "GONE",
                r -> stopped.equals(r.commandId())).instance().state());
    }

    @Test
    void anInstanceThatStopsAnsweringIsKilledAndRestarted() throws Exception {
        hostId = "h-liveness";
        String address = "127.0.0.6";
        agent(harness.config(hostId, address, stateDir, Duration.ofMillis(500)));
        harness.start(hostId, TestSpecs.sampleApp("i-live1", "1.0.0", 1, Map.of()));
        InstanceStatus running = harness.status.await(hostId, "i-live1", START, "RUNNING",
                r -> InstanceStatus.RUNNING.equals(r.instance().state())).instance();
        long pid = harness.track(running.pid());

        // Frozen: alive to /proc, silent to HTTP.
        new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
        InstanceStatus killed = harness.status.await(hostId, "i-live1", START, "killed for liveness",
                r -> InstanceStatus.CRASH_LOOP_BACKOFF.equals(r.instance().state())).instance();
        assertEquals("liveness failed 3 times", killed.lastExit());
        assertTrue(ProcStat.of(pid).filter(s -> !s.ended()).isEmpty(), "the frozen process was killed");
        InstanceStatus restarted = harness.status.await(hostId, "i-live1", START, "RUNNING again",
                r -> InstanceStatus.RUNNING.equals(r.instance().state()) && r.instance().restarts() == 1).instance();
        harness.track(restarted.pid());
        assertTrue(AgentHarness.answers(address, running.port()));
    }

    @Test
    void aNewerSpecReplacesTheProcessOnTheSamePortAndAnOlderOneIsIgnored() throws Exception {
        hostId = "h-replace";
        String address = "127.0.0.7";
        agent(harness.config(hostId, address, stateDir));
        harness.start(hostId, TestSpecs.sampleApp("i-replace1", "1.0.0", 1, Map.of()));
        InstanceStatus first = harness.status.await(hostId, "i-replace1", START, "RUNNING 1.0.0",
                r -> InstanceStatus.RUNNING.equals(r.instance().state())).instance();
        harness.track(first.pid());

        harness.start(hostId, TestSpecs.sampleApp("i-replace1", "1.1.0", 2, Map.of()));
        InstanceStatus second = harness.status.await(hostId, "i-replace1", START, "RUNNING 1.1.0",
                r -> InstanceStatus.RUNNING.equals(r.instance().state()) && "1.1.0".equals(r.instance().version()))
                .instance();
        harness.track(second.pid());
        assertNotEquals(first.pid(), second.pid());
        assertEquals(first.port(), second.port());
        assertEquals(2, second.generation());
        assertEquals(0, second.restarts(), "a new spec is not a restart");
        assertTrue(ProcStat.of(first.pid()).filter(s -> !s.ended()).isEmpty(), "the old process was stopped");
        assertTrue(AgentHarness.get(address, second.port(), "/").body().contains("\"1.1.0\""));

        // A late START of generation 1 is answered with what runs, and changes nothing.
        String late = harness.start(hostId, TestSpecs.sampleApp("i-replace1", "1.0.0", 1, Map.of()));
        InstanceStatus answer = harness.status.await(hostId, "i-replace1", START, "answering the late START",
                r -> late.equals(r.commandId())).instance();
        assertEquals("1.1.0", answer.version());
        assertEquals(second.pid(), answer.pid());
    }

    @Test
    void anArtifactWhoseSha256DiffersIsNeverStarted() throws Exception {
        hostId = "h-sha";
        agent(harness.config(hostId, "127.0.0.8", stateDir));
        InstanceSpec good = TestSpecs.sampleApp("i-sha1", "1.0.0", 1, Map.of());
        InstanceSpec tampered = new InstanceSpec("i-sha1", good.environment(), new dev.stagecraft.contracts.ReleaseSpec(
                "shop", "1.0.0", new dev.stagecraft.contracts.ArtifactRef(good.release().artifact().uri(), "0".repeat(64)),
                Map.of()), 1);
        String command = harness.start(hostId, tampered);
        InstanceStatus failed = harness.status.await(hostId, "i-sha1", START, "FAILED",
                r -> command.equals(r.commandId())).instance();
        assertEquals(InstanceStatus.FAILED, failed.state());
        assertNull(failed.pid());
        assertTrue(failed.detail().contains("sha256"), failed.detail());
    }

    @Test
    void opensSecretsSealedForItsInstanceOnlyAndAgainAtEveryRestart() throws Exception {
        hostId = "h-secrets";
        String address = "127.0.0.9";
        SecretBox box = SecretBox.ofBase64Key(SecretBox.newBase64Key());
        agent(harness.config(hostId, address, stateDir, Duration.ofSeconds(3), Optional.of(box)));
        String password = "staging-db-pa55word";
        InstanceSpec plain = TestSpecs.sampleApp("i-sec1", "1.0.0", 1, Map.of("GREETING", "hi"));
        InstanceSpec sealed = new InstanceSpec("i-sec1", "staging", new ReleaseSpec("shop", "1.0.0",
                plain.release().artifact(), plain.release().config(), Map.of("DB_PASSWORD",
                        box.seal(password, SecretScope.instance("staging", "shop", "DB_PASSWORD")))), 1);
        harness.start(hostId, sealed);
        InstanceStatus running = harness.status.await(hostId, "i-sec1", START, "RUNNING",
                r -> InstanceStatus.RUNNING.equals(r.instance().state())).instance();
        long pid = harness.track(running.pid());
        assertTrue(environmentOf(pid).contains("DB_PASSWORD=" + password), "the process has the secret, plain");
        assertTrue(environmentOf(pid).contains("GREETING=hi"));
        assertFalse(Files.readString(stateDir.resolve("instances/i-sec1.json")).contains(password),
                "the record on disk keeps it sealed");

        AgentHarness.killHard(pid); // restarted from the record: opened again
        InstanceStatus restarted = harness.status.await(hostId, "i-sec1", START, "RUNNING again",
                r -> InstanceStatus.RUNNING.equals(r.instance().state()) && r.instance().restarts() == 1).instance();
        assertTrue(environmentOf(harness.track(restarted.pid())).contains("DB_PASSWORD=" + password));

        // production's value handed to a staging instance: the same refusal as inventory-service's driver gives
        InstanceSpec stolen = new InstanceSpec("i-sec2", "staging", new ReleaseSpec("shop", "1.0.0",
                plain.release().artifact(), Map.of(), Map.of("DB_PASSWORD",
                        box.seal(password, SecretScope.instance("production", "shop", "DB_PASSWORD")))), 1);
        String command = harness.start(hostId, stolen);
        InstanceStatus refused = harness.status.await(hostId, "i-sec2", START, "FAILED",
                r -> command.equals(r.commandId())).instance();
        assertEquals(InstanceStatus.FAILED, refused.state());
        assertNull(refused.pid(), "no process");
        assertTrue(refused.detail().startsWith("secret DB_PASSWORD: does not open"), refused.detail());
        assertFalse(refused.detail().contains(password));
    }

    private static String environmentOf(long pid) throws Exception {
        return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"))).replace('\0', '\n');
    }

    private static long rssKib(long pid) throws Exception {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst()
                .orElseThrow();
    }

    /** The value of the one sample named exactly so (name and labels as written), failing if there is none. */
    static double metricValue(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no sample " + series + " in\n" + text));
    }
}
