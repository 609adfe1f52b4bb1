package dev.stagecraft.inventory.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.HostRouters;
import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.contracts.RouteBackend;
import dev.stagecraft.contracts.RouterStatus;
import dev.stagecraft.contracts.RouterStatusReport;

/** What inventory-service holds of the agents' router reports, and the answers a router command waits for. */
class RouterReportsTest {

    private static RouterStatus router(String id, String state, long generation, int weightA) {
        return new RouterStatus(id, "shop", "staging", state, 42L, "127.0.0.2", 4000, generation,
                Map.of("a", new RouteBackend("127.0.0.3:5000", weightA)), List.of(), 0, null, Instant.now(), null);
    }

    @Test
    void anAnswerIsFoundByItsCommandIdEvenAfterLaterReports() throws Exception {
        RouterReports reports = new RouterReports();
        CompletableFuture<RouterReports.Observed> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return reports.awaitAnswer("c-1", Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        reports.apply(new RouterStatusReport("host-1", "127.0.0.2", router("shop.staging", InstanceStatus.RUNNING, 7,
                100), "c-1", Instant.now()));
        reports.apply(new HostRouters("host-1", "127.0.0.2", List.of(router("shop.staging", InstanceStatus.RUNNING, 8,
                0)), Instant.now()));

        RouterReports.Observed answer = waiting.get(10, TimeUnit.SECONDS);
        assertEquals(7, answer.status().generation(), "the answer to the command, not a later heartbeat");
        assertEquals(8, reports.get("shop.staging").orElseThrow().status().generation(), "the latest is the newest");
        assertEquals("http://127.0.0.2:4000", answer.status().url());
        assertNull(reports.awaitAnswer("c-unknown", Duration.ofMillis(50)), "no answer within the timeout");
    }

    @Test
    void aHostsListIsItsWholeTruthAndGoneEndsARouter() {
        RouterReports reports = new RouterReports();
        reports.apply(new HostRouters("host-1", "127.0.0.2", List.of(router("shop.staging", InstanceStatus.RUNNING, 1,
                100), router("cart.staging", InstanceStatus.RUNNING, 1, 100)), Instant.now()));
        reports.apply(new HostRouters("host-2", "127.0.0.3", List.of(router("web.prod", InstanceStatus.RUNNING, 1, 100)),
                Instant.now()));
        assertEquals(Map.of("host-1", 2, "host-2", 1), reports.countByHost());

        reports.apply(new HostRouters("host-1", "127.0.0.2", List.of(router("shop.staging", InstanceStatus.RUNNING, 2,
                100)), Instant.now()));
        assertTrue(reports.get("cart.staging").isEmpty(), "no longer listed by its host");
        assertTrue(reports.get("web.prod").isPresent(), "another host's router is not touched");

        reports.apply(new RouterStatusReport("host-1", "127.0.0.2", new RouterStatus("shop.staging", null, null,
                InstanceStatus.GONE, null, null, 0, 0, Map.of(), List.of(), 0, null, Instant.now(), null), "c-2",
                Instant.now()));
        assertTrue(reports.get("shop.staging").isEmpty());
        assertEquals(Map.of("host-2", 1), reports.countByHost());
    }
}
