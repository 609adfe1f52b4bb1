package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.InstanceSpec;
import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.contracts.ReleaseSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Simulated instances over real HTTP: one server, each instance on its own loopback address, told apart by it. */
class SimulatedRuntimeTest {
    @TempDir
    Path stateDir;

    private SimulatedHost host;
    private SimulatedRuntime runtime;

    @BeforeEach
    void start() {
        AgentConfig config = AgentConfig.fromEnv(Map.of("STAGECRAFT_HOST_ID", "sim-7", "STAGECRAFT_HOST_ADDRESS",
                "127.0.0.7", "STAGECRAFT_AGENT_STATE_DIR", stateDir.toString()));
        host = SimulatedHost.start(config, new SimulationSettings(true, 0));
        runtime = (SimulatedRuntime) host.runtime();
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void eachInstanceAnswersOnItsOwnAddressAsItsReleaseSays() throws IOException {
        InstanceHandle good = launch("i-good", Map.of());
        InstanceHandle bad = launch("i-bad", Map.of("SAMPLE_READY_FAIL", "true", "SAMPLE_ERROR_RATE", "1.0"));
        assertEquals("127.7.0.1", good.address());
        assertEquals("127.7.0.2", bad.address());
        assertEquals(good.port(), bad.port());
        assertEquals(InstanceStatus.STARTING, good.state());
        assertEquals(ProcessHandle.current().pid(), good.pid());

        assertEquals(200, get(good, "/health/ready").status());
        assertEquals(503, get(bad, "/health/ready").status());
        assertTrue(get(good, "/").body().contains("\"instance\":\"i-good\""));
        assertEquals(500, get(bad, "/").status());
        // The sample app's own metrics, per instance: only the bad one counted a 500.
        assertTrue(get(bad, "/metrics").body().contains("http_server_requests_total{status=\"500\",path=\"/\"} 1"));
        assertTrue(get(good, "/metrics").body().contains("http_server_requests_total{status=\"200\",path=\"/\"} 1"));
        assertTrue(runtime.isLive(good.address(), good.port()));
    }

    @Test
    void aBootingOrStoppedInstanceRefusesToAnswerAndAForgottenOnesAddressIsReused() throws IOException {
        InstanceHandle booting = launch("i-boot", Map.of("SIMULATION_BOOT_MS", "60000"));
        assertThrows(IOException.class, () -> get(booting, "/health/live"));
        assertFalse(runtime.isLive(booting.address(), booting.port()));
        assertTrue(runtime.isAlive(booting));

        InstanceHandle up = launch("i-up", Map.of());
        assertEquals(200, get(up, "/health/live").status());
        runtime.terminate(up, Duration.ZERO);
        assertFalse(runtime.isAlive(up));
        assertThrows(IOException.class, () -> get(up, "/health/live"));
        runtime.forgotten(up);
        assertEquals(up.address(), runtime.plan(spec("i-next", Map.of()), Instant.now()).address());
    }

    @Test
    void aReleaseThatCrashesOrIsMisconfiguredEndsAsTheSampleAppWould() {
        InstanceHandle crashing = launch("i-crash", Map.of("SAMPLE_CRASH_ON_START", "true"));
        assertFalse(runtime.isAlive(crashing));
        assertEquals("exit 1 (simulated: SAMPLE_CRASH_ON_START=true)", runtime.exitOf(crashing));
        InstanceHandle wrong = launch("i-wrong", Map.of("SAMPLE_ERROR_RATE", "lots"));
        assertFalse(runtime.isAlive(wrong));
        assertTrue(runtime.exitOf(wrong).startsWith("exit 2 (simulated: SAMPLE_ERROR_RATE"));
    }

    /**
     * Under the real supervisor, with a sync period too long to come: a simulated instance that answers at its launch
     * is reported RUNNING in answer to its command; one still booting stays STARTING for the sync loop to follow.
     */
    @Test
    void aStartedSimulatedInstanceIsRunningWithoutWaitingForTheSyncLoop() {
        AgentConfig config = AgentConfig.fromEnv(Map.of("STAGECRAFT_HOST_ID", "sim-7", "STAGECRAFT_HOST_ADDRESS",
                "127.0.0.7", "STAGECRAFT_AGENT_STATE_DIR", stateDir.toString(), "STAGECRAFT_AGENT_SYNC_PERIOD", "1h"));
        java.util.List<InstanceStatus> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        StatusSink sink = new StatusSink() {
            @Override
            public void instanceChanged(InstanceStatus status, String commandId) {
                reported.add(status);
            }

            @Override
            public void heartbeat(java.util.List<InstanceStatus> instances) {
            }
        };
        try (Supervisor supervisor = new Supervisor(config, host.records(), runtime, host.liveness(), sink)) {
            supervisor.start();
            supervisor.apply(dev.stagecraft.contracts.HostCommand.start("c-1", "sim-7", spec("i-up", Map.of())));
            supervisor.apply(dev.stagecraft.contracts.HostCommand.start("c-2", "sim-7",
                    spec("i-boot", Map.of("SIMULATION_BOOT_MS", "60000"))));
            assertEquals(java.util.List.of("i-up STARTING", "i-up RUNNING", "i-boot STARTING"), reported.stream()
                    .map(r -> r.instanceId() + " " + r.state()).toList());
        }
    }

    private InstanceHandle launch(String id, Map<String, String> config) {
        return runtime.launch(runtime.plan(spec(id, config), Instant.now()), false, Instant.now());
    }

    private static InstanceSpec spec(String id, Map<String, String> config) {
        return new InstanceSpec(id, "staging",
                new ReleaseSpec("shop", "3.1.0", new ArtifactRef("file:///nowhere/app.jar", "ab"), config), 1);
    }

    private record Response(int status, String body) {
    }

    private static Response get(InstanceHandle instance, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http", instance.address(), instance.port(), path)
                .openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(2000);
        try {
            int status = c.getResponseCode();
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } finally {
            c.disconnect();
        }
    }
}
