package dev.stagecraft.inventory.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import dev.stagecraft.contracts.InstanceStatus;
import org.junit.jupiter.api.Test;

/** The history of an instance as its hosts report it: pure, the reports as a table. */
class InstanceHistoryTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aKillTheAgentsRestartAndAMoveReadAsAStoryAndRepeatsAddNothing() {
        InstanceHistory history = new InstanceHistory(10, 20);
        // host, generation, state, pid, restarts, last exit, detail → recorded?
        Object[][] reports = {
            {"host-1", 1L, "STARTING", 100L, 0, null, null, true},
            {"host-1", 1L, "RUNNING", 100L, 0, null, null, true},
            {"host-1", 1L, "RUNNING", 100L, 0, null, null, false}, // a heartbeat repeating it
            {"host-1", 1L, "CRASH_LOOP_BACKOFF", null, 0, "killed by signal 9", null, true},
            {"host-1", 1L, "CRASH_LOOP_BACKOFF", null, 0, "killed by signal 9", null, false},
            {"host-1", 1L, "STARTING", 101L, 1, "killed by signal 9", null, true},
            {"host-1", 1L, "RUNNING", 101L, 1, "killed by signal 9", null, true},
            {"host-2", 2L, "RUNNING", 200L, 0, null, null, true}, // placed again on another host
            {"host-1", 0L, "GONE", null, 0, null, null, true},    // the old host, back, drops its copy
            {"host-2", 2L, "FAILED", null, 0, null, "artifact sha256 differs", true},
        };
        for (int i = 0; i < reports.length; i++) {
            Object[] r = reports[i];
            boolean recorded = history.observe((String) r[0], new InstanceStatus("i-1", (long) r[1], "1.0.0",
                    (String) r[2], (Long) r[3], "127.0.0.2", 8000, (int) r[4], (String) r[5], T0.plusSeconds(i), null,
                    (String) r[6]), T0);
            assertEquals(r[7], recorded, "row " + i);
        }
        List<InstanceHistory.Change> changes = history.of("i-1");
        assertEquals(List.of("STARTING", "RUNNING", "CRASH_LOOP_BACKOFF", "STARTING", "RUNNING", "RUNNING", "GONE",
                "FAILED"), changes.stream().map(InstanceHistory.Change::state).toList());
        assertEquals("killed by signal 9", changes.get(2).detail());
        assertEquals(null, changes.get(4).detail(), "a RUNNING change does not carry the exit before it");
        assertEquals("artifact sha256 differs", changes.get(7).detail());
        assertEquals(T0.plusSeconds(3), changes.get(2).at(), "the agent's time of the change");
        assertEquals(List.of(0, 0, 0, 1, 1, 0, 0, 0), changes.stream().map(InstanceHistory.Change::restarts).toList());
        assertEquals(List.of(), history.of("i-2"));
    }

    @Test
    void keepsTheLastChangesOfTheLastInstances() {
        InstanceHistory history = new InstanceHistory(2, 3);
        for (int n = 1; n <= 5; n++) {
            history.observe("host-1", new InstanceStatus("i-1", 1, "1.0.0", "RUNNING", (long) n, "a", 1, n, null, T0,
                    null, null), T0);
        }
        assertEquals(List.of(3L, 4L, 5L), history.of("i-1").stream().map(InstanceHistory.Change::pid).toList());
        history.observe("host-1", new InstanceStatus("i-2", 1, "1.0.0", "RUNNING", 1L, "a", 1, 0, null, T0, null, null), T0);
        history.observe("host-1", new InstanceStatus("i-3", 1, "1.0.0", "RUNNING", 1L, "a", 1, 0, null, T0, null, null), T0);
        assertEquals(List.of(), history.of("i-1"), "the least recently seen instance is forgotten");
        assertEquals(1, history.of("i-3").size());
    }
}
