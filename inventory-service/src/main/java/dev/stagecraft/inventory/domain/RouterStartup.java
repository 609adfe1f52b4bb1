package dev.stagecraft.inventory.domain;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.stagecraft.inventory.persistence.FleetEntity;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.router.RouterException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Gives every fleet its entry point again when the service starts. An embedded or HAProxy router lives in
 * this process, so a restart loses it and it is opened again on the fleet's stored port; a fleet router
 * under a host agent (agent driver) outlived the restart and is taken over as it runs. Every fleet of the
 * database gets one (and so does every service and environment that has instances without a fleet row),
 * and every instance its stored weight at its stored address. A fleet whose router cannot be opened is
 * logged and left for the next step that needs it: the other fleets and the service must come up.
 */
@ApplicationScoped
public class RouterStartup {
    private static final Logger LOG = Logger.getLogger(RouterStartup.class);

    private final FleetTraffic traffic;

    public RouterStartup(FleetTraffic traffic) {
        this.traffic = traffic;
    }

    /** Run by {@link LeaderTakeover}, after {@link InstanceRecovery} (the instances listen again), holding every fleet. */
    Uni<Void> openAll() {
        // a transaction: a fleet opened for the first time stores its router port
        return Panache.withTransaction(() -> FleetEntity.<FleetEntity>listAll().chain(fleets -> InstanceEntity
                .<InstanceEntity>list("state <> ?1 order by id", InstanceState.FAILED).chain(instances -> {
                    Set<List<String>> keys = new LinkedHashSet<>();
                    instances.forEach(i -> keys.add(List.of(i.service, i.environment)));
                    Uni<Void> opened = Uni.createFrom().voidItem();
                    for (FleetEntity fleet : fleets) {
                        keys.remove(List.of(fleet.service, fleet.environment));
                        opened = opened.chain(() -> tolerant(traffic.open(fleet)
                                .invoke(url -> LOG.debugf("router of %s in %s at %s", fleet.service,
                                        fleet.environment, url)), fleet.service, fleet.environment));
                    }
                    // instances without a fleet row: a router on any port, as there is nowhere to keep one
                    for (List<String> key : keys) {
                        opened = opened.chain(() -> tolerant(traffic.open(key.get(0), key.get(1))
                                .invoke(url -> LOG.debugf("router of %s in %s at %s", key.get(0), key.get(1), url)),
                                key.get(0), key.get(1)));
                    }
                    Set<List<String>> all = new LinkedHashSet<>(keys);
                    fleets.forEach(f -> all.add(List.of(f.service, f.environment)));
                    return opened.chain(() -> traffic.restoreWeights(instances.stream().filter(i -> traffic
                            .routerUrl(i.service, i.environment).isPresent()).toList())).invoke(unconfirmed -> {
                        unconfirmed.forEach((id, why) -> LOG.warnf("instance %s is not routed as stored: %s", id, why));
                        LOG.infof("opened the routers of %d fleets with %d instances", fleets.size() + keys.size(),
                                instances.size());
                    }).chain(() -> dropUnknown(all, instances));
                })));
    }

    /**
     * A router that outlived this service (under a host agent) may route instances this service has no row of, say
     * those a provision step had started when the service died: they leave the router, which routes the rows only.
     */
    private Uni<Void> dropUnknown(Set<List<String>> fleets, List<InstanceEntity> instances) {
        Uni<Void> dropped = Uni.createFrom().voidItem();
        for (List<String> fleet : fleets) {
            Set<String> known = instances.stream().filter(i -> i.service.equals(fleet.get(0))
                    && i.environment.equals(fleet.get(1))).map(i -> i.id).collect(Collectors.toSet());
            dropped = dropped.chain(() -> traffic.routedIds(fleet.get(0), fleet.get(1)).chain(routed -> {
                Set<String> unknown = routed.stream().filter(id -> !known.contains(id)).collect(Collectors.toSet());
                if (unknown.isEmpty()) {
                    return Uni.createFrom().voidItem();
                }
                LOG.warnf("the router of %s in %s routed %s, which are not instances of the fleet: taken out",
                        fleet.get(0), fleet.get(1), unknown);
                return traffic.forget(fleet.get(0), fleet.get(1), unknown);
            }));
        }
        return dropped;
    }

    private static Uni<Void> tolerant(Uni<String> opening, String service, String environment) {
        return opening.replaceWithVoid().onFailure(RouterException.class).recoverWithItem(e -> {
            LOG.warnf("the router of %s in %s is not open: %s", service, environment, e.getMessage());
            return null;
        });
    }
}
