package dev.stagecraft.release.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.devinfra.StagecraftTestInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;

/**
 * Another replica's change reaches this replica's cache over Kafka. {@link FlagStore} alone is what another replica
 * does to the shared database (commit, history, audit, outbox event) without touching this replica's cache, which
 * only the REST resource updates directly: so the new value can reach OFREP here only through
 * {@code dev.stagecraft.flag.changed} on stagecraft.flags.
 */
@QuarkusTest
@QuarkusTestResource(value = StagecraftTestInfra.class, initArgs = @ResourceArg(name = "database", value = "release"))
class FlagReplicaRefreshTest {
    static final String ENV = "flags-replicas";
    static final String SVC = "replicated";
    static final String OFF = "{\"variants\":{\"on\":true,\"off\":false},\"defaultVariant\":\"off\"}";

    @Inject
    FlagStore store;

    @Test
    void aChangeCommittedElsewhereIsServedHereAfterTheEventArrives() throws Throwable {
        Flags.environment(ENV);
        Flags.put(SVC, ENV, "elsewhere", OFF);
        String token = Flags.token(SVC, ENV, null);
        assertEquals(false, value(token));

        var on = new ObjectMapper().readTree(OFF.replace("\"off\"}", "\"on\"}"));
        long t0 = System.nanoTime();
        VertxContextSupport.subscribeAndAwait(() -> store.put(SVC, ENV, "elsewhere", on, "other-replica"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> Boolean.TRUE.equals(value(token)));
        System.out.printf("flag change committed by another replica → served here: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        VertxContextSupport.subscribeAndAwait(() -> store.delete(SVC, ENV, "elsewhere", "other-replica"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> Flags.ofrep(token).body("{\"context\":{}}").post("/ofrep/v1/evaluate/flags/elsewhere")
                        .statusCode() == 404);
    }

    private static Object value(String token) {
        return Flags.ofrep(token).body("{\"context\":{}}").post("/ofrep/v1/evaluate/flags/elsewhere").path("value");
    }
}
