package dev.stagecraft.inventory.api;

import java.time.Instant;

import dev.stagecraft.inventory.persistence.InstanceEntity;

public record InstanceView(String id, String service, String environment, String version, String address,
        String state, String pool, int weight, Long pid, String lastError, Instant updatedAt) {
    public static InstanceView of(InstanceEntity i) {
        return new InstanceView(i.id, i.service, i.environment, i.version, i.address, i.state.name(), i.pool,
                i.weight, i.pid, i.lastError, i.updatedAt);
    }
}
