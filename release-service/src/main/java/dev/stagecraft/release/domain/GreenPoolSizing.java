package dev.stagecraft.release.domain;

import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.platform.api.Violations;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A blue/green deployment sizes its green pool from {@code strategy.replicas}, else from the fleet's
 * instances (the blue pool), else from the fleet's replicas. On a fleet known to have neither, the saga
 * could only fail it after the fact; it is refused up front instead, as bad input naming the field that
 * fixes it. A fleet this service has not heard of yet is let through: the saga still refuses it there.
 */
@ApplicationScoped
public class GreenPoolSizing {
    static final String FIELD = StrategyFields.ROOT + ".replicas";

    private final FleetViews fleets;

    public GreenPoolSizing(FleetViews fleets) {
        this.fleets = fleets;
    }

    /** Adds the violation to {@code v} if the strategy, as checked and filled in, leaves green without a size. */
    public Uni<Void> check(Violations v, String service, String environment, StrategySpec strategy) {
        if (strategy == null || !StrategySpec.BLUE_GREEN.equals(strategy.type()) || strategy.replicas() != null
                || service == null || environment == null || named(v)) {
            return Uni.createFrom().voidItem();
        }
        return fleets.find(service, environment).invoke(fleet -> {
            if (fleet != null && fleet.instances == 0 && fleet.replicas == 0) {
                v.add(FIELD, "the fleet of " + service + " in " + environment + " has no instances and 0 replicas: set "
                        + FIELD + ", or the fleet's replicas with PUT /api/v1/fleets/" + service + "/" + environment);
            }
        }).replaceWithVoid();
    }

    /** A replicas field that could not be read was dropped (so null here) and named already: once is enough. */
    private static boolean named(Violations v) {
        return v.list().stream().anyMatch(violation -> FIELD.equals(violation.field()));
    }
}
