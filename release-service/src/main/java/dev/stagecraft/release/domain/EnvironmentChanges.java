package dev.stagecraft.release.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import dev.stagecraft.release.persistence.EnvironmentEntity;

/**
 * What a PUT changed in an environment, for the audit log. Secret values never appear: a changed
 * secret is recorded as "***" to "***" (added: null to "***", removed: "***" to null).
 */
public final class EnvironmentChanges {

    public record Change(String field, Object from, Object to) {
    }

    /** Everything the audit compares, taken before the entity is changed. */
    public record Snapshot(Integer order, String requiresSuccessIn, boolean requiresApproval, String windows,
            String freezes, String concurrency, Map<String, String> concurrencyByService, Map<String, String> config,
            Map<String, String> secrets, String bakeTime) {
        public static Snapshot of(EnvironmentEntity e) {
            return e == null ? null
                    : new Snapshot(e.position, e.requiresSuccessIn, e.requiresApproval, e.windows, e.freezes,
                            e.concurrency, Map.copyOf(e.concurrencyByService), Map.copyOf(e.config),
                            Map.copyOf(e.secrets), e.bakeTime);
        }
    }

    /** {@code before} is null for a new environment: every set field is a change. */
    public static List<Change> between(Snapshot before, Snapshot after) {
        Snapshot old = before != null ? before
                : new Snapshot(null, null, false, "[]", "[]", null, Map.of(), Map.of(), Map.of(), null);
        List<Change> changes = new ArrayList<>();
        field(changes, "order", old.order(), after.order());
        field(changes, "requiresSuccessIn", old.requiresSuccessIn(), after.requiresSuccessIn());
        field(changes, "requiresApproval", old.requiresApproval(), after.requiresApproval());
        field(changes, "windows", json(old.windows()), json(after.windows()));
        field(changes, "freezes", json(old.freezes()), json(after.freezes()));
        field(changes, "concurrency", old.concurrency(), after.concurrency());
        field(changes, "bakeTime", old.bakeTime(), after.bakeTime());
        variables(changes, "concurrencyByService", old.concurrencyByService(), after.concurrencyByService(), false);
        variables(changes, "config", old.config(), after.config(), false);
        variables(changes, "secrets", old.secrets(), after.secrets(), true);
        return changes;
    }

    private static void field(List<Change> changes, String name, Object from, Object to) {
        if (!Objects.equals(from, to)) {
            changes.add(new Change(name, from, to));
        }
    }

    private static void variables(List<Change> changes, String prefix, Map<String, String> from, Map<String, String> to,
            boolean secret) {
        TreeSet<String> keys = new TreeSet<>(from.keySet());
        keys.addAll(to.keySet());
        for (String key : keys) {
            String a = from.get(key);
            String b = to.get(key);
            if (!Objects.equals(a, b)) {
                changes.add(new Change(prefix + "." + key, secret ? masked(a) : a, secret ? masked(b) : b));
            }
        }
    }

    private static String masked(String value) {
        return value == null ? null : SecretMask.MASK;
    }

    private static Object json(String text) {
        return dev.stagecraft.platform.persistence.JsonText.read(text, Object.class);
    }

    private EnvironmentChanges() {
    }
}
