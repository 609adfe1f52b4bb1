package dev.stagecraft.inventory.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stagecraft.inventory.agent.HostDirectory;
import dev.stagecraft.inventory.agent.RouterReports;
import dev.stagecraft.inventory.api.PrometheusDiscoveryResource.TargetGroup;

/**
 * The data plane as Prometheus targets (pure, table-tested): each live host agent that serves metrics, at its address
 * and metrics port, labelled {@code component=host-agent} and {@code host}; each running fleet router that reports a
 * metrics port, at 127.0.0.1 and that port (a router's admin API, which serves its metrics, listens on its host's
 * loopback only), labelled {@code component=router}, {@code host}, {@code service}, {@code environment} and
 * {@code router_id}.
 */
final class DataPlaneTargets {
    private DataPlaneTargets() {
    }

    static List<TargetGroup> of(List<HostDirectory.Host> liveHosts, List<RouterReports.Observed> routers) {
        List<TargetGroup> groups = new ArrayList<>();
        for (HostDirectory.Host host : liveHosts) {
            if (host.metricsPort() > 0) {
                Map<String, String> labels = new LinkedHashMap<>();
                labels.put("component", "host-agent");
                labels.put("host", host.hostId());
                groups.add(new TargetGroup(List.of(host.address() + ":" + host.metricsPort()), labels));
            }
        }
        for (RouterReports.Observed router : routers) {
            if (router.isRunning() && router.status().metricsPort() > 0) {
                Map<String, String> labels = new LinkedHashMap<>();
                labels.put("component", "router");
                labels.put("host", router.hostId());
                labels.put("service", String.valueOf(router.status().service()));
                labels.put("environment", String.valueOf(router.status().environment()));
                labels.put("router_id", router.status().routerId());
                groups.add(new TargetGroup(List.of("127.0.0.1:" + router.status().metricsPort()), labels));
            }
        }
        return groups;
    }
}
