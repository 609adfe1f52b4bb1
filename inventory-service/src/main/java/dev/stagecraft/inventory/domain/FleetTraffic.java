package dev.stagecraft.inventory.domain;

import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

import dev.stagecraft.inventory.persistence.FleetEntity;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.router.Backend;
import dev.stagecraft.router.FleetKey;
import dev.stagecraft.inventory.router.RouterConfig;
import dev.stagecraft.router.RouterException;
import dev.stagecraft.inventory.router.TrafficRouter;
import dev.stagecraft.inventory.router.WeightCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The router as the steps use it: weights set per instance and confirmed by reading them back, and
 * drains awaited. The router blocks, so every call runs on a worker thread; answers come back on the
 * caller's context, where its reactive session lives.
 */
@ApplicationScoped
public class FleetTraffic {
    private static final Logger LOG = Logger.getLogger(FleetTraffic.class);

    private final TrafficRouter router;
    private final RouterConfig config;
    private final Vertx vertx;

    public FleetTraffic(TrafficRouter router, RouterConfig config, Vertx vertx) {
        this.router = router;
        this.config = config;
        this.vertx = vertx;
    }

    /** A snapshot of what the router needs of an instance, taken on the caller's thread. */
    private record Target(String id, FleetKey fleet, String address, int weight) {
    }

    public Uni<String> open(String service, String environment) {
        return blocking(() -> router.open(new FleetKey(service, environment)));
    }

    /**
     * Opens the fleet's router on the port stored with it, or on a new one that is then stored (the caller's
     * transaction saves it): the routerUrl stays the same across restarts of this service. Should another process
     * hold the stored port, the router opens on another one, stored instead, rather than leave the fleet unrouted.
     */
    public Uni<String> open(FleetEntity fleet) {
        FleetKey key = new FleetKey(fleet.service, fleet.environment);
        OptionalInt stored = fleet.routerPort == null ? OptionalInt.empty() : OptionalInt.of(fleet.routerPort);
        return blocking(() -> {
            try {
                return router.open(key, stored);
            } catch (RouterException e) {
                if (stored.isEmpty()) {
                    throw e;
                }
                LOG.warnf("the router of %s cannot have its port %d again (%s); it gets another one", key,
                        stored.getAsInt(), e.getMessage());
                return router.open(key);
            }
        }).invoke(url -> {
            int port = URI.create(url).getPort();
            if (fleet.routerPort == null || fleet.routerPort != port) {
                fleet.routerPort = port;
            }
        });
    }

    /** Moves the routers of lost hosts to live ones ({@link TrafficRouter#moveOffLostHosts}); answers their new URLs. */
    public Uni<Map<FleetKey, String>> moveOffLostHosts() {
        return blocking(router::moveOffLostHosts);
    }

    /** Moves the fleet's router if its host was lost ({@link TrafficRouter#moveOffLostHost}); answers whether it moved. */
    public Uni<Boolean> moveOffLostHost(String service, String environment) {
        return blocking(() -> router.moveOffLostHost(new FleetKey(service, environment)).isPresent());
    }

    public Optional<String> routerUrl(String service, String environment) {
        return router.routerUrl(new FleetKey(service, environment));
    }

    /**
     * Gives each instance {@code weight} at its current address, then reads the weights back. Answers, by
     * instance id, why the router did not confirm it; an empty map means every weight holds.
     */
    public Uni<Map<String, String>> setWeight(Collection<InstanceEntity> instances, int weight) {
        return apply(instances, i -> weight);
    }

    /** Gives each instance its own weight, then reads the weights back; answers as {@link #setWeight}. */
    public Uni<Map<String, String>> setWeights(Collection<InstanceEntity> instances, ToIntFunction<InstanceEntity> weight) {
        return apply(instances, weight);
    }

    /** Each instance's own stored weight, as after a restart of this service. */
    public Uni<Map<String, String>> restoreWeights(Collection<InstanceEntity> instances) {
        return apply(instances, i -> i.weight);
    }

    /** The instances the fleet's router routes now, at any weight. */
    public Uni<Set<String>> routedIds(String service, String environment) {
        return blocking(() -> Set.copyOf(router.appliedWeights(new FleetKey(service, environment)).keySet()));
    }

    /** Waits until none of the instances has a request in flight through the router, at most the drain timeout. */
    public Uni<Void> awaitIdle(Collection<InstanceEntity> instances) {
        Map<FleetKey, List<String>> byFleet = byFleet(instances);
        if (byFleet.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return blocking(() -> {
            byFleet.forEach((fleet, ids) -> {
                long started = System.nanoTime();
                Set<String> busy = router.awaitIdle(fleet, ids, config.drainTimeout());
                if (busy.isEmpty()) {
                    LOG.infof("drained %d instances of %s in %d ms", ids.size(), fleet, (System.nanoTime() - started) / 1_000_000);
                } else {
                    LOG.warnf("%s of %s still had requests in flight after the drain timeout (%s); stopping anyway",
                            busy, fleet, config.drainTimeout());
                }
            });
            return null;
        }).replaceWithVoid();
    }

    /** Takes the instances out of their fleets' routers altogether. */
    public Uni<Void> forget(Collection<InstanceEntity> instances) {
        return forget(byFleet(instances));
    }

    public Uni<Void> forget(String service, String environment, Collection<String> ids) {
        return forget(Map.of(new FleetKey(service, environment), List.copyOf(ids)));
    }

    private Uni<Void> forget(Map<FleetKey, List<String>> byFleet) {
        if (byFleet.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return blocking(() -> {
            byFleet.forEach(router::remove);
            return null;
        }).replaceWithVoid();
    }

    private Uni<Map<String, String>> apply(Collection<InstanceEntity> instances, ToIntFunction<InstanceEntity> weight) {
        List<Target> targets = instances.stream().map(i -> new Target(i.id, new FleetKey(i.service, i.environment),
                i.address, weight.applyAsInt(i))).toList();
        if (targets.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return blocking(() -> {
            Map<String, String> unconfirmed = new TreeMap<>();
            targets.stream().collect(Collectors.groupingBy(Target::fleet)).forEach((fleet, list) -> {
                try {
                    unconfirmed.putAll(applyToFleet(fleet, list));
                } catch (RuntimeException e) {
                    list.forEach(t -> unconfirmed.put(t.id(), "router: " + e.getMessage()));
                }
            });
            return unconfirmed;
        });
    }

    private Map<String, String> applyToFleet(FleetKey fleet, List<Target> targets) {
        Map<String, Backend> routed = new LinkedHashMap<>();
        Map<String, Integer> expected = new LinkedHashMap<>();
        Map<String, String> unroutable = new TreeMap<>();
        for (Target t : targets) {
            if (t.address() != null) {
                routed.put(t.id(), new Backend(t.address(), t.weight()));
            } else if (t.weight() > 0) {
                unroutable.put(t.id(), "has no address to send traffic to");
                continue;
            }
            // An instance without an address is simply not in the router, which is weight 0.
            expected.put(t.id(), t.weight());
        }
        router.update(fleet, routed);
        router.remove(fleet, expected.keySet().stream().filter(id -> !routed.containsKey(id)).toList());
        Map<String, String> wrong = new TreeMap<>(WeightCheck.mismatches(expected, router.appliedWeights(fleet)));
        wrong.putAll(unroutable);
        return wrong;
    }

    private static Map<FleetKey, List<String>> byFleet(Collection<InstanceEntity> instances) {
        return instances.stream().collect(Collectors.groupingBy(i -> new FleetKey(i.service, i.environment),
                Collectors.mapping(i -> i.id, Collectors.toList())));
    }

    private <T> Uni<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }
}
