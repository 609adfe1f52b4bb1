package dev.stagecraft.inventory.api;

import java.time.Instant;
import java.util.Optional;

import dev.stagecraft.inventory.persistence.InstanceEntity;

public record InstanceView(String id, String service, String environment, String version, String address,
        String state, String pool, int weight, Long pid, String lastError, Instant updatedAt) {
    public static InstanceView of(InstanceEntity i) {
        return of(i, Optional.empty());
    }

    /** With what the driver sees wrong with it now (an agent's crash loop) as its lastError, ahead of the stored one. */
    public static InstanceView of(InstanceEntity i, Optional<String> observedProblem) {
        String lastError = observedProblem.map(p -> i.lastError == null ? p : p + "; before: " + i.lastError)
                .orElse(i.lastError);
        return new InstanceView(i.id, i.service, i.environment, i.version, i.address, i.state.name(), i.pool,
                i.weight, i.pid, lastError, i.updatedAt);
    }
}
