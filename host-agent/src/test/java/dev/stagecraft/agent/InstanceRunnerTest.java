package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stagecraft.contracts.InstanceStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Termination with real processes, without Kafka. */
class InstanceRunnerTest {

    @TempDir
    Path dir;

    private InstanceHandle handleOf(ProcessLauncher.Launched launched, long startTicks) {
        return new InstanceHandle("i-1", TestSpecs.spec("i-1", 1), InstanceHandle.RUN, "127.0.0.1", 1, launched.pid(),
                startTicks, null, "ab", InstanceStatus.RUNNING, Instant.now(), 0, 0, null, null, null);
    }

    private InstanceRunner runner() {
        AgentConfig config = AgentConfig.fromEnv(Map.of("STAGECRAFT_HOST_ID", "h", "STAGECRAFT_AGENT_STATE_DIR",
                dir.toString()));
        return new InstanceRunner(config, new FileArtifactFetcher(), new DetachedProcessLauncher());
    }

    @Test
    void aProcessThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        ProcessLauncher.Launched launched = new DetachedProcessLauncher().launch(
                List.of("sh", "-c", "trap '' TERM; exec sleep 60"), Map.of("PATH", System.getenv("PATH")),
                dir.resolve("ignores.log"));
        try {
            InstanceHandle handle = handleOf(launched, launched.startTicks());
            StatusWatcher.sleep(200); // let the trap be set before the SIGTERM
            long started = System.nanoTime();
            runner().terminate(handle, Duration.ofMillis(500));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(ProcStat.of(launched.pid()).filter(s -> !s.ended()).isEmpty(), "killed");
            assertTrue(tookMillis >= 500, "waited the grace period first, took " + tookMillis + " ms");
            assertEquals(137, launched.child().orElseThrow().waitFor(), "SIGKILL");
        } finally {
            launched.child().ifPresent(Process::destroyForcibly);
        }
    }

    @Test
    void aProcessWithAnotherStartTimeIsNeverSignalled() throws Exception {
        ProcessLauncher.Launched launched = new DetachedProcessLauncher().launch(List.of("sleep", "60"),
                Map.of("PATH", System.getenv("PATH")), dir.resolve("other.log"));
        try {
            runner().terminate(handleOf(launched, launched.startTicks() + 1), Duration.ofMillis(100));
            StatusWatcher.sleep(200);
            assertTrue(launched.child().orElseThrow().isAlive());
        } finally {
            launched.child().ifPresent(Process::destroyForcibly);
        }
    }
}
