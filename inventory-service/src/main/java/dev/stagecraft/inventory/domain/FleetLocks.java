package dev.stagecraft.inventory.domain;

import java.time.Duration;
import java.util.function.Supplier;

import dev.stagecraft.inventory.driver.InstanceDriver;
import dev.stagecraft.platform.coordination.AdvisoryLocks;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One change of a fleet at a time, across every replica of this service: a saga step, a live scale, the reconciler
 * and the take-over after a restart never work on the same fleet at once (all of them start and stop instances and
 * change the fleet's router table). A fleet is a PostgreSQL advisory lock ({@link AdvisoryLocks}, key
 * {@code fleet:<service>/<environment>}), held on this replica's own database session: a replica killed in the middle
 * of a step lets its fleets go as soon as its connection closes, and the step, redelivered to another replica, runs
 * there from the start.
 *
 * <p>Whoever takes a fleet first reads the hosts' reports up to now ({@link InstanceDriver#catchUpWithHosts}): the
 * replica that held it before may have acted on an agent's answer (a router table, a started instance) that this
 * replica has not read yet.
 */
@ApplicationScoped
public class FleetLocks {
    /** How often a step waiting for its fleet tries again. */
    private static final Duration RETRY = Duration.ofMillis(100);

    private final AdvisoryLocks locks;
    private final InstanceDriver driver;
    private final Vertx vertx;

    public FleetLocks(AdvisoryLocks locks, InstanceDriver driver, Vertx vertx) {
        this.locks = locks;
        this.driver = driver;
        this.vertx = vertx;
    }

    static long key(String service, String environment) {
        return AdvisoryLocks.key("fleet", service + "/" + environment);
    }

    /**
     * Whether the fleet was free and is now held by the caller, who must {@link #release} it. Never waits for it. A
     * caller that cancels while the lock is being taken (a client gone, a sibling failed) never gets it: a lock taken
     * for no one is let go at once, so no fleet stays held by a subscriber that left.
     */
    public Uni<Boolean> tryHold(String service, String environment) {
        long key = key(service, environment);
        return Uni.createFrom().emitter(emitter -> {
            Object guard = new Object();
            boolean[] cancelled = {false};
            boolean[] delivered = {false};
            emitter.onTermination(() -> {
                synchronized (guard) {
                    cancelled[0] = !delivered[0];
                }
            });
            vertx.executeBlocking(() -> {
                if (!locks.tryLock(key)) {
                    return false;
                }
                driver.catchUpWithHosts();
                return true;
            }, false).subscribe().with(held -> {
                boolean deliver;
                synchronized (guard) {
                    deliver = !cancelled[0];
                    delivered[0] = deliver;
                }
                if (deliver) {
                    emitter.complete(held);
                } else if (held) {
                    release(service, environment).subscribe().with(x -> { }, e -> { });
                }
            }, emitter::fail);
        });
    }

    /**
     * As {@link #tryHold(String, String)}, trying again for at most {@code patience}: a step of a deployment holds
     * its fleet for seconds, and a request should not be refused for that.
     */
    public Uni<Boolean> tryHold(String service, String environment, Duration patience) {
        long tries = Math.max(0, patience.toMillis() / RETRY.toMillis());
        return tryHold(service, environment)
                .chain(held -> held ? Uni.createFrom().item(true) : Uni.createFrom().failure(new FleetBusy()))
                .onFailure(FleetBusy.class).retry().withBackOff(RETRY, RETRY).atMost(tries)
                .onFailure(FleetBusy.class).recoverWithItem(false);
    }

    public Uni<Void> release(String service, String environment) {
        return vertx.executeBlocking(() -> {
            locks.release(key(service, environment));
            return null;
        }, false);
    }

    /** Runs {@code work} holding the fleet, waiting for as long as another change of it takes. */
    public <T> Uni<T> holding(String service, String environment, Supplier<Uni<T>> work) {
        return tryHold(service, environment)
                .chain(held -> held ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new FleetBusy()))
                .onFailure(FleetBusy.class).retry().withBackOff(RETRY, RETRY).indefinitely()
                .chain(() -> Uni.createFrom().<T>deferred(() -> work.get()).eventually(() -> release(service, environment)));
    }

    /** Runs {@code work} holding every one of {@code fleets} ([service, environment]), taken in the order given. */
    public <T> Uni<T> holdingAll(java.util.List<java.util.List<String>> fleets, Supplier<Uni<T>> work) {
        if (fleets.isEmpty()) {
            return Uni.createFrom().<T>deferred(() -> work.get());
        }
        java.util.List<String> first = fleets.get(0);
        return holding(first.get(0), first.get(1), () -> holdingAll(fleets.subList(1, fleets.size()), work));
    }

    /** The fleet is held elsewhere: try again. */
    private static final class FleetBusy extends RuntimeException {
        FleetBusy() {
            super(null, null, false, false);
        }
    }
}
