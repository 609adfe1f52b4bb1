package dev.stagecraft.platform.persistence;

import java.io.Serializable;
import java.util.Objects;

/**
 * The composite id of a row per fleet: one service in one environment. For {@code @IdClass} on entities whose
 * id fields are named {@code service} and {@code environment} (inventory's fleets, release-service's view of them).
 */
public class FleetId implements Serializable {
    public String service;
    public String environment;

    public FleetId() {
    }

    public FleetId(String service, String environment) {
        this.service = service;
        this.environment = environment;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FleetId k && Objects.equals(service, k.service) && Objects.equals(environment, k.environment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, environment);
    }
}
