package dev.stagecraft.agent;

import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.router.PrometheusText;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the agent serves at {@code GET /metrics} (Prometheus text, written by hand: a metrics library would cost the
 * small agent memory for a few series): its instances and fleet routers by state, the restarts of each, when the
 * broker last took a heartbeat, and its resident memory. Reads the keepers' published views (immutable lists), never
 * their threads, so a scrape never waits for a stop or a drain.
 */
final class AgentMetrics {
    static final List<String> STATES = List.of(InstanceStatus.STARTING, InstanceStatus.RUNNING,
            InstanceStatus.CRASH_LOOP_BACKOFF, InstanceStatus.FAILED);

    private final String hostId;
    private volatile Supplier<List<InstanceHandle>> instances = List::of;
    private volatile Supplier<List<RouterHandle>> routers = List::of;
    private volatile LongSupplier lastHeartbeatMillis = () -> 0;

    AgentMetrics(String hostId) {
        this.hostId = hostId;
    }

    void watch(Supplier<List<InstanceHandle>> instances, Supplier<List<RouterHandle>> routers,
            LongSupplier lastHeartbeatMillis) {
        this.instances = instances;
        this.routers = routers;
        this.lastHeartbeatMillis = lastHeartbeatMillis;
    }

    String render() {
        PrometheusText text = new PrometheusText();
        List<InstanceHandle> held = instances.get();
        List<RouterHandle> keptRouters = routers.get();

        text.family("stagecraft_agent_instances", "gauge", "Instances this host agent keeps, by state");
        Map<String, Integer> byState = countByState(held.stream().map(InstanceHandle::state).toList());
        byState.forEach((state, n) -> text.sample("stagecraft_agent_instances", n, "host", hostId, "state", state));

        text.family("stagecraft_agent_instance_state", "gauge", "1 for the state each instance is in now");
        held.forEach(i -> text.sample("stagecraft_agent_instance_state", 1, "host", hostId, "service",
                i.spec().release().service(), "environment", i.spec().environment(), "instance_id", i.instanceId(),
                "state", i.state()));

        text.family("stagecraft_instance_restarts_total", "counter",
                "Restarts of each instance by this host agent (crashes and failed liveness), as in its record");
        held.forEach(i -> text.sample("stagecraft_instance_restarts_total", i.restarts(), "host", hostId, "service",
                i.spec().release().service(), "environment", i.spec().environment(), "instance_id", i.instanceId()));

        text.family("stagecraft_agent_routers", "gauge", "Fleet routers this host agent keeps, by state");
        countByState(keptRouters.stream().map(RouterHandle::state).toList()).forEach((state, n) ->
                text.sample("stagecraft_agent_routers", n, "host", hostId, "state", state));

        text.family("stagecraft_router_restarts_total", "counter", "Restarts of each fleet router by this host agent");
        keptRouters.forEach(r -> text.sample("stagecraft_router_restarts_total", r.restarts(), "host", hostId,
                "service", r.spec().service(), "environment", r.spec().environment(), "router_id", r.routerId()));

        long heartbeat = lastHeartbeatMillis.getAsLong();
        if (heartbeat > 0) {
            text.family("stagecraft_agent_last_heartbeat_timestamp_seconds", "gauge",
                    "When the broker last acknowledged a heartbeat of this agent (Unix time)");
            text.sample("stagecraft_agent_last_heartbeat_timestamp_seconds", heartbeat / 1000.0, "host", hostId);
        }
        return text.residentMemory().toString();
    }

    /** Every state named, 0 where none is in it, so that a series does not vanish when its last instance leaves. */
    static Map<String, Integer> countByState(List<String> states) {
        Map<String, Integer> counts = new TreeMap<>();
        STATES.forEach(s -> counts.put(s, 0));
        states.forEach(s -> counts.merge(s, 1, Integer::sum));
        return counts;
    }
}
