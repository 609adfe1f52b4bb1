package dev.stagecraft.inventory.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.inventory.driver.InstanceDriver;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.router.FleetKey;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import dev.stagecraft.platform.coordination.AdvisoryLocks;
import dev.stagecraft.platform.coordination.LeaderLease;
import dev.stagecraft.platform.coordination.LeaderLease.Turn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Two replicas' coordination on the real database: each replica is one {@link AdvisoryLocks} (its own session). A
 * fleet held by one is refused to the other and to a second caller of the same replica; a replica whose connection
 * closes (what a kill -9 does) lets its fleets and its lead go at once. The orphan sweep stops an instance the hosts
 * run with no row only while it holds the instance's fleet, deciding on rows read once it holds it.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class ReplicaCoordinationTest {
    @Inject
    FleetLocks locks;
    @Inject
    FleetTraffic traffic;
    @Inject
    MeterRegistry registry;
    @Inject
    io.vertx.mutiny.core.Vertx vertx;

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

    /**
     * A step of another replica is in flight: it started an instance, and holds the fleet until its row is written. The
     * sweep leaves that instance alone while the fleet is held, and once the row is there; an instance nobody wrote a
     * row for is stopped (and counted) as soon as the fleet is free. The fleet's own sweep decides on rows it reads
     * once it holds the fleet: a first look at the rows from before the step wrote its row does not count.
     */
    @Test
    void anInstanceWithNoRowIsStoppedOnlyWhileItsFleetIsHeldAndOnlyIfNoRowHasItsIdOnceHeld() throws Throwable {
        String service = "orphans-" + UUID.randomUUID().toString().substring(0, 8);
        String env = "staging";
        ReportingHosts hosts = new ReportingHosts();
        OrphanSweep sweep = new OrphanSweep(hosts, new InstanceProcesses(hosts, vertx), traffic, locks, registry);
        String fromStep = hosts.run(service, env);
        try (AdvisoryLocks otherReplica = replica()) {
            long fleet = FleetLocks.key(service, env);
            assertTrue(otherReplica.tryLock(fleet), "the other replica's step holds the fleet");
            assertEquals(0, (int) VertxContextSupport.<Integer>subscribeAndAwait(sweep::sweep));
            assertEquals(List.of(), hosts.stopped, "a step in flight: its instance's row is still to come");
            insertRow(fromStep, service, env); // the step's result, written before it lets the fleet go
            otherReplica.release(fleet);
        }
        String orphan = hosts.run(service, env);
        // as if the first look (rows read before the lock) had picked this fleet before the step wrote its row
        assertEquals(1, (int) VertxContextSupport.<Integer>subscribeAndAwait(
                () -> sweep.sweep(new FleetKey(service, env))));
        assertEquals(List.of(orphan), hosts.stopped, "only the instance no row names");
        assertEquals(0, (int) VertxContextSupport.<Integer>subscribeAndAwait(sweep::sweep), "stopped once");
        assertEquals(1.0, registry.find("stagecraft.orphan.instances.stopped").tag("service", service).counter()
                .count());
    }

    private static void insertRow(String id, String service, String env) throws Throwable {
        InstanceEntity row = new InstanceEntity();
        row.id = id;
        row.service = service;
        row.environment = env;
        row.pool = "stable";
        row.runs(new ReleaseSpec(service, "1.0.0", new ArtifactRef("file:///nowhere.jar", "ab"), Map.of()));
        row.state = InstanceState.STARTING;
        row.updatedAt = Instant.now();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> row.<InstanceEntity>persist()));
    }

    /** What the host agents report, as the agent driver hands it on: instances running, each naming its fleet. */
    private static final class ReportingHosts implements InstanceDriver {
        final Map<String, HostedInstance> running = new ConcurrentHashMap<>();
        final List<String> stopped = java.util.Collections.synchronizedList(new ArrayList<>());

        String run(String service, String env) {
            String id = "i-" + UUID.randomUUID().toString().substring(0, 8);
            running.put(id, new HostedInstance(id, "host-1", service, env, "RUNNING", true));
            return id;
        }

        @Override
        public List<HostedInstance> hostedInstances() {
            return List.copyOf(running.values());
        }

        @Override
        public void stop(String instanceId) {
            if (running.remove(instanceId) != null) {
                stopped.add(instanceId);
            }
        }

        @Override
        public boolean isRunning(String instanceId) {
            return running.containsKey(instanceId);
        }

        @Override
        public RunningInstance start(String instanceId, String environment, ReleaseSpec release) {
            throw new UnsupportedOperationException("the sweep starts nothing");
        }

        @Override
        public void stopAll() {
        }
    }
}
