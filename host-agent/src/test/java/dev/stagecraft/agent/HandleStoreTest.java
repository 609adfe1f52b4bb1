package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stagecraft.contracts.InstanceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HandleStoreTest {

    @TempDir
    Path stateDir;

    @Test
    void savedHandlesComeBackAsTheyWereAndLeaveNoTemporaryFile() throws Exception {
        HandleStore store = new HandleStore(stateDir);
        InstanceHandle running = TestSpecs.handle("i-1", 3, InstanceStatus.RUNNING, InstanceHandle.RUN);
        InstanceHandle real = new InstanceHandle("i-2", TestSpecs.sampleApp("i-2", "1.2.3", 1, Map.of("A", "b")),
                InstanceHandle.RUN, "127.0.0.3", 41000, 0, 0, null, "ab", InstanceStatus.CRASH_LOOP_BACKOFF,
                java.time.Instant.parse("2026-01-01T00:00:00Z"), 4, 2,
                java.time.Instant.parse("2026-01-01T00:00:10Z"), "exit 1", null);
        store.save(running);
        store.save(real);
        store.save(running.running(java.time.Instant.EPOCH.plusSeconds(5)));

        List<InstanceHandle> loaded = store.loadAll();
        assertEquals(2, loaded.size());
        assertTrue(loaded.contains(running.running(java.time.Instant.EPOCH.plusSeconds(5))));
        assertTrue(loaded.contains(real));
        try (var files = Files.list(stateDir.resolve("instances"))) {
            assertEquals(List.of("i-1.json", "i-2.json"), files.map(f -> f.getFileName().toString()).sorted().toList());
        }

        store.delete("i-1");
        assertEquals(List.of(real), store.loadAll());
    }

    @Test
    void anUnreadableRecordIsSetAsideNotGuessedAt() throws Exception {
        HandleStore store = new HandleStore(stateDir);
        store.save(TestSpecs.handle("i-1", 1, InstanceStatus.RUNNING, InstanceHandle.RUN));
        Files.writeString(stateDir.resolve("instances/i-2.json"), "{\"instanceId\": \"i-2\", trunc");

        assertEquals(1, store.loadAll().size());
        assertTrue(Files.exists(stateDir.resolve("instances/i-2.json.unreadable")));
        assertFalse(Files.exists(stateDir.resolve("instances/i-2.json")));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"i-1a2b3c4d, true", "shop.staging-1_x, true", "../x, false", "a/b, false", "'', false", ".hidden, false",
            "-rf, false"})
    void idsThatBecomeFileNamesAreChecked(String id, boolean valid) {
        assertEquals(valid, HandleStore.isValidId(id));
    }
}
