package dev.stagecraft.inventory.router;

import dev.stagecraft.router.FleetKey;

import dev.stagecraft.router.Backend;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Decides which instance of a fleet gets each request: one entry point per fleet ({@link #open}),
 * weighted over the fleet's instances. Implementations may block (open a port, talk to a load
 * balancer), so callers run them on worker threads, as they do the instance driver.
 *
 * <p>A change of weight is not trusted until {@link #appliedWeights} reports it: that reads what the
 * router really applies, not what it was told.
 */
public interface TrafficRouter extends AutoCloseable {

    /** Opens the fleet's entry point if it has none, and answers its URL, which stays the same while this router lives. */
    default String open(FleetKey fleet) {
        return open(fleet, OptionalInt.empty());
    }

    /**
     * As {@link #open(FleetKey)}, on {@code port} if given (the port stored with the fleet, so that its routerUrl
     * survives a restart of this service); an entry point already open keeps its port.
     */
    String open(FleetKey fleet, OptionalInt port);

    /** The fleet's entry point, if it has been opened. */
    Optional<String> routerUrl(FleetKey fleet);

    /**
     * Adds these backends to the fleet or changes their address and weight; the fleet's other
     * backends keep theirs. Opens the fleet if needed. A router that applies the changes one backend at a
     * time must never leave the fleet without a backend in service on the way (a blue/green switch takes all
     * of blue's weight and gives it to green): {@link MakeBeforeBreak} gives that order.
     */
    void update(FleetKey fleet, Map<String, Backend> backends);

    /** Takes these instances out of the fleet altogether. Unknown ids are ignored. */
    void remove(FleetKey fleet, Collection<String> instanceIds);

    /** The weight of every backend of the fleet as the router applies it now; empty for an unknown fleet. */
    Map<String, Integer> appliedWeights(FleetKey fleet);

    /**
     * Waits until none of these instances has a request in flight through the router, or {@code timeout} has
     * passed; answers the instances that still had requests in flight.
     */
    Set<String> awaitIdle(FleetKey fleet, Collection<String> instanceIds, Duration timeout);

    /**
     * Moves every entry point whose host was lost (it stopped heartbeating) to a live host, on the same port and with
     * its whole table; answers each moved fleet's new URL. A router in this process is never on a lost host: the
     * default moves nothing.
     */
    default Map<FleetKey, String> moveOffLostHosts() {
        return Map.of();
    }

    /**
     * As {@link #moveOffLostHosts}, for one fleet (the caller holds it across replicas); answers its new URL if its
     * router moved. The default moves nothing.
     */
    default Optional<String> moveOffLostHost(FleetKey fleet) {
        return Optional.empty();
    }

    /** Closes the fleet's entry point. */
    void removeFleet(FleetKey fleet);

    /** Closes every entry point. */
    @Override
    void close();
}
