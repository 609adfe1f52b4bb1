package dev.stagecraft.inventory.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code stagecraft_instance_restarts_total{service,environment}}: instance restarts made by host agents. Every
 * fleet has it from its first appearance, at 0 (no restart is a figure too, and the dashboard's and the crash-loop
 * alert's {@code increase()} needs the series before the first restart to count that one); the agent driver adds
 * the restarts the agents report.
 */
public final class InstanceRestartsMetric {
    static final String NAME = "stagecraft.instance.restarts";

    public static Counter of(MeterRegistry registry, String service, String environment) {
        return Counter.builder(NAME).description("Instance restarts made by host agents (crashes, failed liveness)")
                .tag("service", service).tag("environment", environment).register(registry);
    }

    private InstanceRestartsMetric() {
    }
}
