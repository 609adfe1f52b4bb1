package dev.stagecraft.rollout;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import dev.stagecraft.platform.outbox.OutboxRelay;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The outbox relay runs every 50 ms and after every applied event, for as long as the service runs. Through a
 * Hibernate native select, each pass added two entries to the query plan cache that no lookup ever hit, all with one
 * hash: within minutes every native query of the service scanned thousands of them, on the thread that handles the
 * events. The relay now goes through the reactive SQL pool; this holds it there.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "rollout"))
class RelayQueryPlansTest {
    private static final int PASSES = 40;

    @Inject
    OutboxRelay relay;
    @Inject
    Mutiny.SessionFactory sessions;

    @Test
    void relayPassesLeaveTheQueryPlanCacheAsItWas() throws InterruptedException {
        int before = cachedPlans();
        for (int i = 0; i < PASSES; i++) {
            relay.wake();
            Thread.sleep(25);
        }
        int after = cachedPlans();
        // Before the fix this grew by about two per pass (80 here); other work of the service may add a plan or two.
        assertTrue(after - before < 5, "query plans cached grew from " + before + " to " + after + " over " + PASSES
                + " relay passes");
    }

    private int cachedPlans() {
        SessionFactoryImplementor factory = (SessionFactoryImplementor) sessions.getCache().getSessionFactory();
        return factory.getQueryEngine().getInterpretationCache().getNumberOfCachedQueryPlans();
    }
}
