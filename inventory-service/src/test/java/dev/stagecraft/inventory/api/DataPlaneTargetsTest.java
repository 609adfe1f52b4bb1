package dev.stagecraft.inventory.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.contracts.RouterStatus;
import dev.stagecraft.inventory.agent.HostDirectory.Host;
import dev.stagecraft.inventory.agent.RouterReports.Observed;
import dev.stagecraft.inventory.api.PrometheusDiscoveryResource.TargetGroup;

/** Which agents and routers become Prometheus targets, at which address, with which labels. */
class DataPlaneTargetsTest {

    private static Observed router(String id, String host, String state, int metricsPort) {
        return new Observed(host, "127.0.0.2", new RouterStatus(id, "shop", "staging", state, 42L, "127.0.0.2", 4000, 3,
                Map.of(), List.of(), 0, null, Instant.EPOCH, null, metricsPort));
    }

    @Test
    void agentsAtTheirAddressAndRoutersAtTheirHostsLoopback() {
        List<TargetGroup> targets = DataPlaneTargets.of(
                List.of(new Host("host-1", "127.0.0.2", Instant.EPOCH, 41000),
                        new Host("host-2", "127.0.0.3", Instant.EPOCH, 0)),   // an agent from before metrics: none
                List.of(router("shop.staging", "host-1", InstanceStatus.RUNNING, 42000),
                        router("cart.staging", "host-2", InstanceStatus.CRASH_LOOP_BACKOFF, 42001),   // nothing to scrape
                        router("old.staging", "host-2", InstanceStatus.RUNNING, 0)));               // port not reported
        assertEquals(List.of(
                new TargetGroup(List.of("127.0.0.2:41000"), Map.of("component", "host-agent", "host", "host-1")),
                new TargetGroup(List.of("127.0.0.1:42000"), Map.of("component", "router", "host", "host-1",
                        "service", "shop", "environment", "staging", "router_id", "shop.staging"))), targets);
    }

    @Test
    void noHostsNoTargets() {
        assertEquals(List.of(), DataPlaneTargets.of(List.of(), List.of()));
    }
}
