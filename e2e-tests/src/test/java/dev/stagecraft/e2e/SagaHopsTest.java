package dev.stagecraft.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.stagecraft.e2e.SagaHops.Event;
import dev.stagecraft.e2e.SagaHops.Hop;

/** The benchmark's arithmetic, as a table: no platform. */
class SagaHopsTest {
    private static final String P = "dev.stagecraft.";

    @Test
    void eachOutputIsTimedFromTheNewestRecordItsServiceReactsTo() {
        List<Event> events = List.of(
                new Event("d", SagaHops.DEPLOYMENTS, P + "deployment.requested", "release-service", 1000),
                new Event("d", SagaHops.DEPLOYMENTS, P + "deployment.started", "rollout-service", 1040),
                new Event("d", SagaHops.STEPS, P + "instances.resolve-requested", "rollout-service", 1041),
                new Event("d", SagaHops.INSTANCES, P + "targets.resolved", "inventory-service", 1100),
                new Event("d", SagaHops.STEPS, P + "instances.update-requested", "rollout-service", 1130),
                new Event("d", SagaHops.INSTANCES, P + "instances.updated", "inventory-service", 3130),
                // both rollout-service and health-monitor react to the update; health's verdict comes later
                new Event("d", SagaHops.DEPLOYMENTS, P + "deployment.progressed", "rollout-service", 3150),
                new Event("d", SagaHops.HEALTH, P + "verdict.reached", "health-monitor", 4130),
                new Event("d", SagaHops.STEPS, P + "instances.enable-requested", "rollout-service", 4190),
                // another deployment's records never pair with this one's
                new Event("e", SagaHops.INSTANCES, P + "instances.enabled", "inventory-service", 4195),
                new Event("d", SagaHops.INSTANCES, P + "instances.enabled", "inventory-service", 4250));
        assertEquals(List.of(
                new Hop("deployment.requested → deployment.started", "rollout-service", 40),
                new Hop("instances.resolve-requested → targets.resolved", "inventory-service", 59),
                new Hop("targets.resolved → instances.update-requested", "rollout-service", 30),
                new Hop("instances.update-requested → instances.updated", "inventory-service", 2000),
                new Hop("instances.updated → deployment.progressed", "rollout-service", 20),
                new Hop("instances.updated → verdict.reached", "health-monitor", 1000),
                new Hop("verdict.reached → instances.enable-requested", "rollout-service", 60),
                new Hop("instances.enable-requested → instances.enabled", "inventory-service", 60)),
                SagaHops.hops(events), "in the order of their outputs; deployment e has no hop");
    }

    @Test
    void percentilesByNearestRank() {
        List<Long> tenValues = List.of(10L, 1L, 9L, 2L, 8L, 3L, 7L, 4L, 6L, 5L);
        long[][] table = { // p, expected
                {50, 5}, {90, 9}, {99, 10}, {100, 10}, {1, 1}, {10, 1}, {11, 2}};
        for (long[] row : table) {
            assertEquals(row[1], SagaHops.percentile(tenValues, row[0]), "p" + row[0]);
        }
        assertEquals(42, SagaHops.percentile(List.of(42L), 99));
        assertThrows(IllegalArgumentException.class, () -> SagaHops.percentile(List.of(), 50));
    }
}
