package dev.stagecraft.release.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.stagecraft.release.domain.EnvironmentChanges.Change;
import dev.stagecraft.release.domain.EnvironmentChanges.Snapshot;

class EnvironmentChangesTest {
    static Snapshot snapshot(boolean approval, String windows, Map<String, String> config, Map<String, String> secrets) {
        return new Snapshot(30, "staging", approval, windows, "[]", "reject", Map.of(), config, secrets, null);
    }

    @Test
    void recordsWhatChangedAndNeverASecretValue() {
        Snapshot before = snapshot(false, "[]", Map.of("A", "1", "GONE", "x"),
                Map.of("DB_PASSWORD", "hunter22", "KEPT", "same", "DROPPED", "old-secret"));
        Snapshot after = snapshot(true, "[{\"timezone\":\"UTC\"}]", Map.of("A", "2"),
                Map.of("DB_PASSWORD", "correct-horse", "KEPT", "same", "NEW", "fresh-secret"));
        assertEquals(List.of(
                new Change("requiresApproval", false, true),
                new Change("windows", List.of(), List.of(Map.of("timezone", "UTC"))),
                new Change("config.A", "1", "2"),
                new Change("config.GONE", "x", null),
                new Change("secrets.DB_PASSWORD", "***", "***"),
                new Change("secrets.DROPPED", "***", null),
                new Change("secrets.NEW", null, "***")), EnvironmentChanges.between(before, after));
    }

    @Test
    void aNewEnvironmentChangesEveryFieldItSets() {
        Snapshot after = snapshot(false, "[]", Map.of(), Map.of("TOKEN", "abcd"));
        assertEquals(List.of(new Change("order", null, 30), new Change("requiresSuccessIn", null, "staging"),
                new Change("concurrency", null, "reject"), new Change("secrets.TOKEN", null, "***")),
                EnvironmentChanges.between(null, after));
    }
}
