package dev.stagecraft.inventory.domain;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * One change of a fleet's instances at a time outside its deployments: a live scale and the reconciler never work on
 * the same fleet at once (both start and stop instances). In this process only, like the instance processes of the
 * local-process driver: one inventory-service per database.
 */
@ApplicationScoped
public class FleetLocks {
    private final Set<List<String>> busy = ConcurrentHashMap.newKeySet();

    /** Whether the fleet was free and is now held by the caller, who must {@link #release} it. */
    public boolean tryHold(String service, String environment) {
        return busy.add(List.of(service, environment));
    }

    public void release(String service, String environment) {
        busy.remove(List.of(service, environment));
    }
}
