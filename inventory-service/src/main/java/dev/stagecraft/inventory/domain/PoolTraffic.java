package dev.stagecraft.inventory.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Splits a fleet's traffic between its pools (a canary and the stable pool, or green and blue) as a canary
 * or blue/green step asks, and answers with every instance's weight as the router confirmed it. Weights
 * are all set in one router update per fleet, so a blue/green switch happens in one step.
 */
@ApplicationScoped
public class PoolTraffic {
    private static final Logger LOG = Logger.getLogger(PoolTraffic.class);

    private final FleetTraffic traffic;
    private final InstanceProcesses processes;

    public PoolTraffic(FleetTraffic traffic, InstanceProcesses processes) {
        this.traffic = traffic;
        this.processes = processes;
    }

    /** Reads the fleet in a short session of its own, then sets the weights with no transaction open. */
    public Uni<StepResult> weigh(StepRequest r) {
        return Panache.withSession(() -> InstanceEntity.ofFleet(r.service(), r.environment())).chain(fleet -> {
            Map<String, List<String>> byPool = fleet.stream().filter(i -> i.state != InstanceState.FAILED)
                    .collect(Collectors.groupingBy(i -> i.pool, Collectors.mapping(i -> i.id, Collectors.toList())));
            PoolWeights.Split split = PoolWeights.split(r.weights(), byPool);
            Optional<String> notRunning = split.problem().isPresent() ? Optional.empty() : notRunning(fleet, split);
            Optional<String> problem = split.problem().or(() -> notRunning);
            if (problem.isPresent()) {
                LOG.warnf("deployment %s: weights %s refused: %s", r.deploymentId(), r.weights(), problem.get());
                return Uni.createFrom().item(StepResult.of(EventTypes.INSTANCES_WEIGHTED, fleet.stream()
                        .map(i -> outcome(i, false, "weights not changed: " + problem.get())).toList(), List.of()));
            }
            List<InstanceEntity> weighed = fleet.stream().filter(i -> split.weights().containsKey(i.id)).toList();
            return traffic.setWeights(weighed, i -> split.weights().get(i.id)).map(unconfirmed -> {
                List<InstanceOutcome> outcomes = new ArrayList<>();
                List<InstanceEntity> changed = new ArrayList<>();
                for (InstanceEntity i : weighed) {
                    if (unconfirmed.containsKey(i.id)) {
                        outcomes.add(outcome(i, false, "router did not confirm weight " + split.weights().get(i.id)
                                + ": " + unconfirmed.get(i.id)));
                        continue;
                    }
                    i.weight = split.weights().get(i.id);
                    i.state = i.weight > 0 ? InstanceState.IN_SERVICE : InstanceState.OUT_OF_SERVICE;
                    i.updatedAt = Instant.now();
                    changed.add(i);
                    outcomes.add(outcome(i, true, null));
                }
                LOG.infof("deployment %s: weights %s applied as %s", r.deploymentId(), r.weights(), split.weights());
                return StepResult.of(EventTypes.INSTANCES_WEIGHTED, outcomes, changed);
            });
        });
    }

    /** An instance asked to take traffic must have a process to take it. */
    private Optional<String> notRunning(List<InstanceEntity> fleet, PoolWeights.Split split) {
        return fleet.stream().filter(i -> split.weights().getOrDefault(i.id, 0) > 0 && !processes.isRunning(i.id))
                .map(i -> "instance " + i.id + " (pool " + i.pool + ") has no running process").findFirst();
    }

    private static InstanceOutcome outcome(InstanceEntity i, boolean ok, String error) {
        return new InstanceOutcome(i.id, i.address, i.version, ok, error, i.pool, i.weight);
    }
}
