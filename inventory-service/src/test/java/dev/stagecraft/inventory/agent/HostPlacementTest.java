package dev.stagecraft.inventory.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.stagecraft.contracts.HostHeartbeat;
import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.contracts.InstanceStatusReport;
import org.junit.jupiter.api.Test;

/** Placement over the hosts' heartbeats, and the latest reports: pure, no broker. */
class HostPlacementTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final List<String> restarts = new ArrayList<>();
    private final AgentReports reports = new AgentReports((id, n) -> restarts.add(id + "+" + n));

    @Test
    void spreadsOverLiveHostsCountingPendingPlacementsAndSkipsSilentOnes() {
        MutableClock clock = new MutableClock();
        HostDirectory hosts = new HostDirectory(Duration.ofSeconds(15), clock);
        hosts.heard(heartbeat("host-1", List.of()));
        hosts.heard(heartbeat("host-2", List.of()));
        List<String> placed = new ArrayList<>();
        for (String id : List.of("i-1", "i-2", "i-3", "i-4")) {
            placed.add(hosts.place(id, Map.of()).orElseThrow().hostId()); // none reported yet: pending ones count
        }
        assertEquals(List.of("host-1", "host-2", "host-1", "host-2"), placed);

        hosts.settled("i-1");
        hosts.settled("i-3");
        // host-1 reports 3 instances, host-2 none: the next goes to host-2 (it still has i-2 and i-4 pending)
        assertEquals("host-2", hosts.place("i-5", Map.of("host-1", 3)).orElseThrow().hostId());

        clock.now = T0.plusSeconds(16);
        hosts.heard(heartbeat("host-1", List.of()));
        assertEquals("host-1", hosts.place("i-6", Map.of("host-1", 9)).orElseThrow().hostId(),
                "host-2's last heartbeat is 16 s old: not alive, however empty");
        assertTrue(hosts.anyAlive());
        clock.now = T0.plusSeconds(40);
        assertTrue(hosts.place("i-7", Map.of()).isEmpty(), "no live host");
        assertFalse(hosts.anyAlive(), "every host silent: the reconciler moves nothing");
    }

    @Test
    void keepsTheNewestGenerationForgetsWhatAHeartbeatNoLongerListsAndCountsRestartsAsTheyGrow() throws Exception {
        reports.apply(heartbeat("host-1", List.of(status("i-1", 5, "RUNNING", 2))));
        assertEquals(List.of(), restarts, "the first sight is the baseline");
        reports.apply(report("host-1", status("i-1", 5, "CRASH_LOOP_BACKOFF", 2)));
        reports.apply(report("host-1", status("i-1", 5, "RUNNING", 3)));
        reports.apply(heartbeat("host-1", List.of(status("i-1", 5, "RUNNING", 3)))); // the same again
        assertEquals(List.of("i-1+1"), restarts);

        reports.apply(report("host-1", status("i-1", 4, "FAILED", 0)));
        assertEquals("RUNNING", reports.get("i-1").orElseThrow().status().state(), "an older generation is ignored");
        assertEquals("127.0.0.2:7001", reports.get("i-1").orElseThrow().address());
        // A simulated host's instance has a loopback address of its own: that is where it is reached.
        reports.apply(report("host-1", new InstanceStatus("i-9", 1, "1.0.0", "RUNNING", 42L, "127.2.0.9", 7001, 0, null,
                T0, null, null)));
        assertEquals("127.2.0.9:7001", reports.get("i-9").orElseThrow().address());
        reports.apply(report("host-1", new InstanceStatus("i-9", 0, null, "GONE", null, null, 0, 0, null, T0, null,
                null)));

        assertNull(reports.await("i-1", o -> o.status().generation() >= 6, false, Duration.ofMillis(50)),
                "no report of generation 6: timed out");
        reports.apply(report("host-1", new InstanceStatus("i-1", 0, null, "GONE", null, null, 0, 0, null, T0, null,
                null)));
        assertTrue(reports.await("i-1", o -> false, true, Duration.ofMillis(50)).isEmpty(),
                "gone once its host reports GONE (of generation 0: the agent forgot the spec)");
        reports.apply(report("host-1", status("i-2", 1, "RUNNING", 0)));
        reports.apply(heartbeat("host-1", List.of()));
        assertTrue(reports.await("i-2", o -> false, true, Duration.ofMillis(50)).isEmpty(),
                "gone once the host's heartbeat no longer lists it");
        assertEquals(Map.of(), reports.countByHost());
    }

    @Test
    void countsEachHostsInstancesAsTheyComeMoveAndGo() {
        reports.apply(report("host-1", status("i-1", 1, "RUNNING", 0)));
        reports.apply(report("host-1", status("i-2", 1, "RUNNING", 0)));
        reports.apply(report("host-2", status("i-3", 1, "RUNNING", 0)));
        assertEquals(Map.of("host-1", 2, "host-2", 1), reports.countByHost());
        reports.apply(report("host-2", status("i-2", 2, "RUNNING", 0))); // placed again on host-2
        assertEquals(Map.of("host-1", 1, "host-2", 2), reports.countByHost());
        reports.apply(report("host-2", new InstanceStatus("i-3", 0, null, "GONE", null, null, 0, 0, null, T0, null,
                null)));
        assertEquals(Map.of("host-1", 1, "host-2", 1), reports.countByHost());
        reports.apply(heartbeat("host-2", List.of(status("i-2", 2, "RUNNING", 0))));
        assertEquals(Map.of("host-1", 1, "host-2", 1), reports.countByHost(), "a heartbeat speaks for its own host only");
        assertEquals("host-1", reports.get("i-1").orElseThrow().hostId());
        reports.apply(heartbeat("host-1", List.of()));
        assertEquals(Map.of("host-2", 1), reports.countByHost());
    }

    @Test
    void aWaiterIsAnsweredByTheReportForItsInstanceOnlyAndByAHeartbeatThatDropsIt() throws Exception {
        reports.apply(report("host-1", status("i-6", 1, "RUNNING", 0)));
        var running = java.util.concurrent.CompletableFuture.supplyAsync(() -> awaitQuietly("i-5",
                o -> o.isRunning(), false));
        var gone = java.util.concurrent.CompletableFuture.supplyAsync(() -> awaitQuietly("i-6", o -> false, true));
        reports.apply(report("host-1", status("i-5", 1, "STARTING", 0)));
        Thread.sleep(100);
        assertFalse(running.isDone(), "STARTING does not answer a wait for RUNNING");
        reports.apply(report("host-1", status("i-5", 1, "RUNNING", 0)));
        assertEquals("RUNNING", running.get(5, java.util.concurrent.TimeUnit.SECONDS).orElseThrow().status().state());
        assertFalse(gone.isDone(), "i-6 still runs");
        reports.apply(heartbeat("host-1", List.of(status("i-5", 1, "RUNNING", 0))));
        assertTrue(gone.get(5, java.util.concurrent.TimeUnit.SECONDS).isEmpty(), "the heartbeat no longer lists i-6");
    }

    private java.util.Optional<AgentReports.Observed> awaitQuietly(String id,
            java.util.function.Predicate<AgentReports.Observed> done, boolean goneCounts) {
        try {
            return reports.await(id, done, goneCounts, Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HostHeartbeat heartbeat(String host, List<InstanceStatus> instances) {
        return new HostHeartbeat(host, "127.0.0.2", instances, T0);
    }

    private static InstanceStatusReport report(String host, InstanceStatus status) {
        return new InstanceStatusReport(host, "127.0.0.2", status, null, T0);
    }

    private static InstanceStatus status(String id, long generation, String state, int restarts) {
        return new InstanceStatus(id, generation, "1.0.0", state, 42L, "127.0.0.2", 7001, restarts, null, T0, null,
                null);
    }

    private static final class MutableClock extends Clock {
        Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
