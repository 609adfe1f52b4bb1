package dev.stagecraft.inventory.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.stagecraft.inventory.driver.InstanceDriver.HostedInstance;
import dev.stagecraft.router.FleetKey;

/** Which reported instances are orphans: a table of reports, the fleets held, the rows; the ids that must stop. */
class OrphanInstancesTest {
    private static final FleetKey SHOP = new FleetKey("shop", "staging");
    private static final FleetKey CART = new FleetKey("cart", "staging");

    private static HostedInstance on(String id, String service, String environment, String state, boolean hostAlive) {
        return new HostedInstance(id, "host-1", service, environment, state, hostAlive);
    }

    private static HostedInstance shop(String id) {
        return on(id, "shop", "staging", "RUNNING", true);
    }

    record Case(String why, List<HostedInstance> reported, Set<FleetKey> held, Set<String> withRow,
            List<String> orphans) {
    }

    @Test
    void onlyAnInstanceOfAHeldFleetWithNoRowOnALiveHostIsAnOrphan() {
        List<Case> cases = List.of(
                new Case("no row, fleet held: stopped", List.of(shop("i-1")), Set.of(SHOP), Set.of(), List.of("i-1")),
                new Case("its row exists: kept", List.of(shop("i-1")), Set.of(SHOP), Set.of("i-1"), List.of()),
                new Case("fleet not held (a step may be starting it, row to come): left alone", List.of(shop("i-1")),
                        Set.of(CART), Set.of(), List.of()),
                new Case("nothing held: nothing stopped", List.of(shop("i-1")), Set.of(), Set.of(), List.of()),
                new Case("an older agent's report names no fleet: left alone",
                        List.of(on("i-1", null, null, "RUNNING", true)), Set.of(SHOP), Set.of(), List.of()),
                new Case("service without environment names no fleet",
                        List.of(on("i-1", "shop", null, "RUNNING", true)), Set.of(SHOP), Set.of(), List.of()),
                new Case("another environment is another fleet",
                        List.of(on("i-1", "shop", "production", "RUNNING", true)), Set.of(SHOP), Set.of(), List.of()),
                new Case("GONE: nothing to stop", List.of(on("i-1", "shop", "staging", "GONE", true)), Set.of(SHOP),
                        Set.of(), List.of()),
                new Case("its host is lost: stopped once it comes back",
                        List.of(on("i-1", "shop", "staging", "RUNNING", false)), Set.of(SHOP), Set.of(), List.of()),
                new Case("crash-looping or failed orphans are stopped too",
                        List.of(on("i-2", "shop", "staging", "CRASH_LOOP_BACKOFF", true),
                                on("i-1", "shop", "staging", "FAILED", true),
                                on("i-3", "shop", "staging", "STARTING", true)),
                        Set.of(SHOP), Set.of(), List.of("i-1", "i-2", "i-3")),
                new Case("a mixed fleet: only the rowless ones, sorted",
                        List.of(shop("i-9"), shop("i-2"), shop("i-5"), on("i-7", "cart", "staging", "RUNNING", true)),
                        Set.of(SHOP), Set.of("i-5"), List.of("i-2", "i-9")),
                new Case("two fleets held", List.of(shop("i-1"), on("i-2", "cart", "staging", "RUNNING", true)),
                        Set.of(SHOP, CART), Set.of(), List.of("i-1", "i-2")));
        for (Case c : cases) {
            assertEquals(c.orphans(), OrphanInstances.of(c.reported(), c.held(), c.withRow()).stream()
                    .map(HostedInstance::instanceId).toList(), c.why());
        }
    }

    @Test
    void theFleetsWorthTakingAreThoseWithARowlessInstanceOnALiveHost() {
        List<HostedInstance> reported = List.of(shop("i-1"), shop("i-2"),
                on("i-3", "cart", "staging", "RUNNING", true),
                on("i-4", "web", "staging", "RUNNING", false),
                on("i-5", "api", "staging", "GONE", true),
                on("i-6", null, null, "RUNNING", true));
        assertEquals(Set.of(SHOP), OrphanInstances.fleetsToSweep(reported, Set.of("i-1", "i-3")),
                "cart has its rows, web's host is lost, api's is GONE, i-6 names no fleet");
        assertEquals(Set.of(), OrphanInstances.fleetsToSweep(reported, Set.of("i-1", "i-2", "i-3")));
        assertEquals(Set.of(CART, SHOP), OrphanInstances.fleetsToSweep(reported, Set.of()));
    }
}
