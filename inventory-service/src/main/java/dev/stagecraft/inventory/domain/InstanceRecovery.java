package dev.stagecraft.inventory.domain;

import java.time.Instant;
import java.util.List;

import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.inventory.driver.InstanceDriver;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Brings the fleet back after inventory-service restarts (DESIGN.md rule 4: no zombies after a crash).
 * The instances' processes died with the old service, since their guardians kill them when its pipe
 * closes, but their rows still say STARTING or IN_SERVICE at an address where nothing listens. The saga
 * would count on them and health-monitor would probe them in vain. So every instance that is not FAILED
 * and has no process here is started again from the release it ran, keeping its state and weight.
 *
 * <p>With the agent driver the processes outlive the service: once the agents' status is read, every instance an
 * agent reports RUNNING is taken over as it is (same pid, same address), and only the others are started again.
 *
 * <p>Run by the replica that leads ({@link LeaderTakeover}), holding every fleet. With the local-process driver the
 * processes are one service's children, so that driver still means one inventory-service per database. Recovered
 * instances listen on new ports; their rows say where.
 */
@ApplicationScoped
public class InstanceRecovery {
    private static final Logger LOG = Logger.getLogger(InstanceRecovery.class);

    private final InstanceDriver driver;
    private final InstanceRestarts restarts;
    private final Vertx vertx;

    public InstanceRecovery(InstanceDriver driver, InstanceRestarts restarts, Vertx vertx) {
        this.driver = driver;
        this.restarts = restarts;
        this.vertx = vertx;
    }

    /** {@link #recover}, and what it did in the log. Run by {@link LeaderTakeover}. */
    Uni<Void> recoverAndLog() {
        return recover().invoke(outcomes -> {
            if (outcomes.isEmpty()) {
                LOG.debug("no instance to recover");
                return;
            }
            outcomes.forEach(o -> {
                if (o.ok()) {
                    LOG.infof("recovered instance %s (%s) at %s", o.instanceId(), o.version(), o.address());
                } else {
                    LOG.warnf("could not recover instance %s (%s), marked FAILED: %s", o.instanceId(), o.version(),
                            o.error());
                }
            });
            LOG.infof("recovered %d of %d instances that had lost their process",
                    outcomes.stream().filter(InstanceOutcome::ok).count(), outcomes.size());
        }).replaceWithVoid();
    }

    /**
     * Starts every instance that should run but has no process here, and gives it its stored weight in the router
     * at its new address once it listens; answers one outcome per instance it tried.
     */
    Uni<List<InstanceOutcome>> recover() {
        return vertx.executeBlocking(() -> {
            driver.awaitObservedState();
            return null;
        }, false).chain(() -> Panache.withTransaction(() -> InstanceEntity.<InstanceEntity>list("state <> ?1 order by id",
                InstanceState.FAILED).chain(rows -> {
                    rows.forEach(this::takeOverIfItSurvived);
                    List<InstanceEntity> lost = rows.stream().filter(i -> !driver.isRunning(i.id)).toList();
                    if (lost.isEmpty()) {
                        return Uni.createFrom().item(List.<InstanceOutcome>of());
                    }
                    return Uni.join().all(lost.stream().map(this::restart).toList()).andFailFast()
                            .call(outcomes -> route(lost));
                })));
    }

    /**
     * An instance whose process outlived the old service (the agent driver's do) is taken over as it runs: its row
     * gets the address and pid the agent reports, which are the stored ones unless the agent restarted it meanwhile.
     */
    private void takeOverIfItSurvived(InstanceEntity instance) {
        driver.survivor(instance.id, instance.environment, instance.release()).ifPresent(running -> {
            if (!running.address().equals(instance.address) || !Long.valueOf(running.pid()).equals(instance.pid)) {
                LOG.infof("instance %s runs at %s as pid %d (was %s, pid %s)", instance.id, running.address(),
                        running.pid(), instance.address, instance.pid);
                instance.address = running.address();
                instance.pid = running.pid();
                instance.updatedAt = Instant.now();
            }
            LOG.infof("took over instance %s at %s, pid %d, from its host agent", instance.id, running.address(),
                    running.pid());
        });
    }

    private Uni<Void> route(List<InstanceEntity> restarted) {
        return restarts.route(restarted).invoke(unconfirmed -> unconfirmed.forEach((id, why) -> LOG.warnf(
                "recovered instance %s does not have its stored weight in the router: %s", id, why)))
                .replaceWithVoid();
    }

    /** A failure is recorded on the instance, not thrown: one bad release must not keep the others down. */
    private Uni<InstanceOutcome> restart(InstanceEntity instance) {
        return restarts.startAgain(instance).map(attempt -> {
            if (attempt.running() != null) {
                return new InstanceOutcome(instance.id, instance.address, instance.version, true, null);
            }
            instance.updatedAt = Instant.now();
            instance.address = null;
            instance.pid = null;
            instance.state = InstanceState.FAILED;
            instance.weight = 0;
            instance.lastError = "not recovered after inventory-service restarted: " + attempt.error();
            return new InstanceOutcome(instance.id, null, instance.version, false, instance.lastError);
        });
    }
}
