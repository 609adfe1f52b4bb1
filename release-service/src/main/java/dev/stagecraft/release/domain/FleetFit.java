package dev.stagecraft.release.domain;

import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.platform.api.Violations;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Canary and blue/green deployments start a new pool beside the fleet's, and two of their needs can be read off
 * the fleet as inventory-service last described it. On a fleet known not to meet them the saga could only fail
 * the deployment after the fact, so it is refused up front instead, as bad input naming the field that fixes it:
 * <ul>
 * <li>blue/green sizes green from {@code strategy.replicas}, else the fleet's instances (blue), else its
 * replicas: one of them must be there;</li>
 * <li>a canary is judged against the stable pool and falls back to it, so the fleet must have instances.</li>
 * </ul>
 * A fleet this service has not heard of yet is let through: the saga still refuses it there.
 */
@ApplicationScoped
public class FleetFit {
    static final String REPLICAS = StrategyFields.ROOT + ".replicas";
    static final String TYPE = StrategyFields.ROOT + ".type";

    private final FleetViews fleets;

    public FleetFit(FleetViews fleets) {
        this.fleets = fleets;
    }

    /** Adds a violation to {@code v} if the strategy, as checked and filled in, cannot start on the fleet. */
    public Uni<Void> check(Violations v, String service, String environment, StrategySpec strategy) {
        if (strategy == null || service == null || environment == null || !startsANewPool(strategy, v)) {
            return Uni.createFrom().voidItem();
        }
        return fleets.find(service, environment).invoke(fleet -> {
            if (fleet == null || fleet.instances > 0) {
                return;
            }
            String where = "the fleet of " + service + " in " + environment;
            if (StrategySpec.CANARY.equals(strategy.type())) {
                v.add(TYPE, "a canary is judged against the stable pool and falls back to it, and " + where
                        + " has no instances: deploy a first version with rolling or blue-green");
            } else if (fleet.replicas == 0) {
                v.add(REPLICAS, where + " has no instances and 0 replicas: set " + REPLICAS
                        + ", or the fleet's replicas with PUT /api/v1/fleets/" + service + "/" + environment);
            }
        }).replaceWithVoid();
    }

    /**
     * Whether the fleet decides: a canary always, a blue/green deployment unless it sizes green itself. A
     * replicas field that could not be read was dropped (so null here) and named already: once is enough.
     */
    private static boolean startsANewPool(StrategySpec strategy, Violations v) {
        if (StrategySpec.CANARY.equals(strategy.type())) {
            return true;
        }
        return StrategySpec.BLUE_GREEN.equals(strategy.type()) && strategy.replicas() == null
                && v.list().stream().noneMatch(violation -> REPLICAS.equals(violation.field()));
    }
}
