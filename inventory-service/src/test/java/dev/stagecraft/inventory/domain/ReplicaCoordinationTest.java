package dev.stagecraft.inventory.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.platform.coordination.AdvisoryLocks;
import dev.stagecraft.platform.coordination.LeaderLease;
import dev.stagecraft.platform.coordination.LeaderLease.Turn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Two replicas' coordination on the real database: each replica is one {@link AdvisoryLocks} (its own session). A
 * fleet held by one is refused to the other and to a second caller of the same replica; a replica whose connection
 * closes (what a kill -9 does) lets its fleets and its lead go at once.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class ReplicaCoordinationTest {

    private static AdvisoryLocks replica() {
        var config = ConfigProvider.getConfig();
        return AdvisoryLocks.postgres(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    /**
     * The server ends a closed session's backend (and frees its locks) a moment after the socket closes: within 5 s
     * here, on a loaded machine.
     */
    private static boolean soon(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Test
    void aFleetIsHeldByOneCallerOfOneReplicaAtATimeAndFreedWhenItsConnectionCloses() {
        long fleet = FleetLocks.key("coord-" + UUID.randomUUID().toString().substring(0, 8), "staging");
        try (AdvisoryLocks one = replica(); AdvisoryLocks two = replica()) {
            assertTrue(one.tryLock(fleet), "free");
            assertFalse(one.tryLock(fleet), "a second caller of the same replica waits too");
            assertFalse(two.tryLock(fleet), "another replica waits");
            assertTrue(one.holds(fleet));
            one.release(fleet);
            assertFalse(one.holds(fleet));
            assertTrue(two.tryLock(fleet), "released: the other replica takes it");
            assertFalse(one.tryLock(fleet));
            two.close(); // as kill -9 does: the session ends, and its locks with it
            assertTrue(soon(() -> one.tryLock(fleet)), "the dead replica's fleet is free once its session has ended");
        }
    }

    @Test
    void theLeadPassesToTheOtherReplicaWhenTheLeadersConnectionCloses() {
        String name = "coord-" + UUID.randomUUID();
        try (AdvisoryLocks one = replica(); AdvisoryLocks two = replica()) {
            LeaderLease first = new LeaderLease(one, name);
            LeaderLease second = new LeaderLease(two, name);
            assertEquals(Turn.BECAME_LEADER, first.take());
            assertEquals(Turn.FOLLOWS, second.take());
            assertEquals(Turn.LEADS, first.take());
            assertEquals(Turn.FOLLOWS, second.take());
            one.close();
            assertTrue(soon(() -> second.take() == Turn.BECAME_LEADER), "the leader's session ended: the lead is free");
            assertEquals(Turn.LEADS, second.take());
            assertEquals(Turn.FOLLOWS, first.take(), "the old leader knows it no longer leads");
            second.resign();
            assertEquals(Turn.BECAME_LEADER, first.take());
        }
    }
}
