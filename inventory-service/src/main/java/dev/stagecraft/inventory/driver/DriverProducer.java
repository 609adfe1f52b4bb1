package dev.stagecraft.inventory.driver;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import dev.stagecraft.inventory.agent.AgentReports;
import dev.stagecraft.inventory.agent.HostCommandSender;
import dev.stagecraft.inventory.agent.HostDirectory;
import dev.stagecraft.inventory.agent.HostStatusListener;
import dev.stagecraft.inventory.metrics.InstanceRestartsMetric;
import dev.stagecraft.platform.artifact.Artifacts;
import dev.stagecraft.platform.kafka.KafkaSecuritySettings;
import dev.stagecraft.platform.secrets.Secrets;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chooses the instance driver from {@code stagecraft.driver.kind} ({@code STAGECRAFT_INSTANCE_DRIVER}):
 * {@code local-process} (the default: instances are this service's children) or {@code agent} (instances run under
 * the host agents and outlive this service).
 */
@ApplicationScoped
public class DriverProducer {
    private InstanceDriver driver;

    @Produces
    @Singleton
    InstanceDriver driver(DriverConfig config, Secrets secrets, Artifacts artifacts, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        String kind = config.kind();
        driver = switch (kind) {
            case "local-process" -> new LocalProcessDriver(config, artifacts.fetcher(), secrets.box());
            case "agent" -> agentDriver(config, artifacts, registry, bootstrapServers);
            default -> throw new IllegalStateException("unknown stagecraft.driver.kind '" + kind
                    + "'; available: local-process, agent");
        };
        return driver;
    }

    private static AgentDriver agentDriver(DriverConfig config, Artifacts artifacts, MeterRegistry registry,
            String bootstrapServers) {
        Map<String, Object> security = KafkaSecuritySettings.clientProperties(ConfigProvider.getConfig());
        AtomicReference<AgentDriver> built = new AtomicReference<>();
        AgentReports reports = new AgentReports((instanceId, count) -> {
            AgentDriver agents = built.get();
            var labels = agents == null ? java.util.Optional.<java.util.List<String>>empty() : agents.labelsOf(instanceId);
            InstanceRestartsMetric.of(registry, labels.map(l -> l.get(0)).orElse("unknown"),
                    labels.map(l -> l.get(1)).orElse("unknown")).increment(count);
        });
        HostDirectory hosts = new HostDirectory(config.agent().heartbeatFreshness(), Clock.systemUTC());
        HostStatusListener listener = new HostStatusListener(bootstrapServers, security, hosts, reports,
                config.agent().statusLookBack());
        AgentArtifacts toAgents = new AgentArtifacts(config.agent().artifacts(), artifacts.store(), artifacts.maxSize());
        AgentDriver agents = new AgentDriver(config, artifacts.fetcher(), toAgents, hosts, reports,
                new HostCommandSender(bootstrapServers, security), listener);
        built.set(agents);
        listener.start();
        return agents;
    }

    void stopInstances(@Observes ShutdownEvent event) {
        if (driver != null) {
            driver.stopAll();
        }
    }
}
