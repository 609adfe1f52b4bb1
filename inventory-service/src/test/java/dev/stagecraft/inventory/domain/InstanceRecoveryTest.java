package dev.stagecraft.inventory.domain;

import static dev.stagecraft.inventory.InventoryTestSupport.alive;
import static dev.stagecraft.inventory.InventoryTestSupport.awaitGone;
import static dev.stagecraft.inventory.InventoryTestSupport.environmentOf;
import static dev.stagecraft.inventory.InventoryTestSupport.instances;
import static dev.stagecraft.inventory.InventoryTestSupport.processesOf;
import static dev.stagecraft.inventory.InventoryTestSupport.versionAt;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.inventory.InventoryTestSupport;
import dev.stagecraft.devinfra.LoadLoop;
import dev.stagecraft.inventory.api.InstanceView;
import dev.stagecraft.inventory.driver.InstanceDriver;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.router.FleetKey;
import dev.stagecraft.inventory.router.TrafficRouter;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;

/**
 * A crash of inventory-service, as its instances see it: their processes are gone, their rows remain.
 * Recovery must start them again where they stood.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class InstanceRecoveryTest {
    private static final String ENV = "production";
    static InventoryTestSupport support;
    static String service;

    @Inject
    InstanceRecovery recovery;
    @Inject
    InstanceDriver driver;
    @Inject
    TrafficRouter router;

    @BeforeAll
    static void setUp() {
        support = new InventoryTestSupport();
        service = InventoryTestSupport.uniqueService("phoenix");
    }

    @AfterAll
    static void tearDown() {
        support.close();
        assertEquals(List.of(), processesOf(service), "processes left running");
    }

    @Test
    void instancesThatLostTheirProcessAreStartedAgainInTheirState() throws Throwable {
        String dep = "dep-" + UUID.randomUUID();
        ReleaseSpec release = support.release(service, "2.0.0", Map.of("GREETING", "back"));
        try {
            support.request(EventTypes.PROVISION_REQUESTED, StepRequest.provision(dep, 1, service, ENV, 2, release));
            List<InstanceOutcome> provisioned = support.awaitAnswer(dep, EventTypes.INSTANCES_PROVISIONED, 1)
                    .outcomes();
            String serving = provisioned.get(0).instanceId();
            String starting = provisioned.get(1).instanceId();
            support.request(EventTypes.ENABLE_REQUESTED, StepRequest.forInstances(dep, 2, service, ENV,
                    List.of(serving)));
            assertTrue(support.awaitAnswer(dep, EventTypes.INSTANCES_ENABLED, 2).allOk());
            // rows left by the old service: one whose artifact no longer checks out, one that had failed already
            String unstartable = insert(InstanceState.STARTING, new ReleaseSpec(service, "2.0.0",
                    new ArtifactRef(release.artifact().uri(), "f".repeat(64)), Map.of()), null);
            String failed = insert(InstanceState.FAILED, release, "crashed at start");
            Map<String, InstanceView> before = byId();

            // the crash: the processes die, the rows still say where they ran
            for (String id : List.of(serving, starting)) {
                driver.stop(id);
                awaitGone(before.get(id).pid());
                assertEquals(Optional.empty(), versionAt(before.get(id).address()));
            }
            assertEquals("IN_SERVICE", byId().get(serving).state());

            Map<String, InstanceOutcome> outcomes = recover();
            assertEquals(Set.of(serving, starting, unstartable), outcomes.keySet(), "FAILED rows are left alone");
            assertTrue(outcomes.get(serving).ok());
            assertTrue(outcomes.get(starting).ok());
            assertFalse(outcomes.get(unstartable).ok());

            Map<String, InstanceView> after = byId();
            assertBackInState(before.get(serving), after.get(serving), "IN_SERVICE", 100);
            assertBackInState(before.get(starting), after.get(starting), "STARTING", 0);
            assertEquals(outcomes.get(serving).address(), after.get(serving).address());

            // back in the router at their new addresses, with their stored weights; the others are not in it
            FleetKey fleet = new FleetKey(service, ENV);
            assertEquals(Map.of(serving, 100, starting, 0), router.appliedWeights(fleet));
            LoadLoop.Result routed = LoadLoop.run(router.routerUrl(fleet).orElseThrow(), 1, 20, Duration.ofSeconds(10));
            assertEquals(Map.of(serving, 20), routed.byInstance(), routed.failures().toString());

            InstanceView notRecovered = after.get(unstartable);
            assertEquals("FAILED", notRecovered.state());
            assertNull(notRecovered.address());
            assertNull(notRecovered.pid());
            assertThat(notRecovered.lastError(), containsString("not recovered"));
            assertThat(notRecovered.lastError(), containsString("sha256"));
            assertEquals(before.get(failed).lastError(), after.get(failed).lastError());
            assertEquals(before.get(failed).updatedAt(), after.get(failed).updatedAt());

            // instances that run are not touched again
            assertEquals(Map.of(), recover());
            assertEquals(after.get(serving).pid(), byId().get(serving).pid());
        } finally {
            support.decommissionAll(dep, 99, service, ENV);
        }
    }

    private static void assertBackInState(InstanceView before, InstanceView after, String state, int weight) {
        assertEquals(state, after.state());
        assertEquals(weight, after.weight());
        assertEquals("2.0.0", after.version());
        assertNull(after.lastError());
        assertNotEquals(before.address(), after.address());
        assertNotEquals(before.pid(), after.pid());
        assertTrue(alive(after.pid()));
        assertEquals(Optional.of("2.0.0"), versionAt(after.address()));
        assertEquals("back", environmentOf(after.pid()).get("GREETING"), "started from its stored release");
    }

    /** This fleet's outcomes of one recovery pass (other tests' instances share the database). */
    private Map<String, InstanceOutcome> recover() throws Throwable {
        List<InstanceOutcome> all = VertxContextSupport.subscribeAndAwait(recovery::recover);
        Set<String> ours = byId().keySet();
        return all.stream().filter(o -> ours.contains(o.instanceId()))
                .collect(Collectors.toMap(InstanceOutcome::instanceId, Function.identity()));
    }

    private static Map<String, InstanceView> byId() {
        return instances(service, ENV).stream().collect(Collectors.toMap(InstanceView::id, Function.identity()));
    }

    private static String insert(InstanceState state, ReleaseSpec release, String lastError) throws Throwable {
        InstanceEntity row = new InstanceEntity();
        row.id = "i-" + UUID.randomUUID().toString().substring(0, 8);
        row.service = service;
        row.environment = ENV;
        row.pool = "stable";
        row.runs(release);
        row.state = state;
        row.address = "127.0.0.1:1";
        row.pid = Long.MAX_VALUE;
        row.lastError = lastError;
        row.updatedAt = Instant.now();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> row.<InstanceEntity>persist()));
        return row.id;
    }
}
