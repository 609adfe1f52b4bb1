package dev.stagecraft.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host's agent, assembled: records on disk, the supervisor, the command consumer and the status publisher.
 * Closing it stops the agent only; the instances keep running and the next agent on the same state dir adopts them.
 */
final class HostAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostAgent.class);

    private final StatusPublisher publisher;
    private final Supervisor supervisor;
    private final RouterKeeper routers;
    private final CommandConsumer consumer;
    private final AgentMetricsServer metrics;
    /** Null unless this agent is a simulated host. */
    private SimulatedHost simulation;

    private HostAgent(StatusPublisher publisher, Supervisor supervisor, RouterKeeper routers, CommandConsumer consumer,
            AgentMetricsServer metrics) {
        this.metrics = metrics;
        this.publisher = publisher;
        this.supervisor = supervisor;
        this.routers = routers;
        this.consumer = consumer;
    }

    static HostAgent start(AgentConfig config) {
        return start(config, RouterSettings.fromEnv(System.getenv()), ArtifactSettings.fromEnv(System.getenv()),
                SimulationSettings.fromEnv(System.getenv()));
    }

    static HostAgent start(AgentConfig config, RouterSettings routerSettings) {
        return start(config, routerSettings, new ArtifactSettings(java.util.Optional.empty(), java.util.Optional.empty()));
    }

    static HostAgent start(AgentConfig config, RouterSettings routerSettings, ArtifactSettings artifacts) {
        return start(config, routerSettings, artifacts, SimulationSettings.OFF);
    }

    static HostAgent start(AgentConfig config, RouterSettings routerSettings, ArtifactSettings artifacts,
            SimulationSettings simulationSettings) {
        // Metrics first: the heartbeats name their port, and the views they read are attached below.
        AgentMetrics agentMetrics = new AgentMetrics(config.hostId());
        AgentMetricsServer metrics = AgentMetricsServer.start(config.hostAddress(), config.metricsPort(), agentMetrics);
        StatusPublisher publisher = new StatusPublisher(config, metrics == null ? 0 : metrics.port());
        Supervisor supervisor = null;
        RouterKeeper routers = null;
        SimulatedHost simulation = null;
        try {
            if (simulationSettings.enabled()) {
                simulation = SimulatedHost.start(config, simulationSettings);
                supervisor = new Supervisor(config, simulation.records(), simulation.runtime(), simulation.liveness(),
                        publisher);
            } else {
                InstanceRunner runner = new InstanceRunner(config, artifacts.fetcher(config.stateDir()),
                        new DetachedProcessLauncher());
                supervisor = new Supervisor(config, new HandleStore(config.stateDir()), runner,
                        new HttpLivenessCheck(config.livenessTimeout()), publisher);
            }
            // Adopt first: commands then meet the instances that really run.
            supervisor.start();
            routers = new RouterKeeper(config, routerSettings, new DetachedProcessLauncher(), publisher);
            routers.start();
            agentMetrics.watch(supervisor::view, routers::view, publisher::lastHeartbeatAcked);
            CommandConsumer consumer = new CommandConsumer(config, supervisor::apply, routers::apply);
            consumer.start();
            LOG.info("host agent {} on {} started; state in {}", config.hostId(), config.hostAddress(), config.stateDir());
            HostAgent agent = new HostAgent(publisher, supervisor, routers, consumer, metrics);
            agent.simulation = simulation;
            return agent;
        } catch (RuntimeException e) {
            // Leave no thread behind to keep a failed agent's JVM alive.
            if (routers != null) {
                routers.close();
            }
            if (supervisor != null) {
                supervisor.close();
            }
            if (simulation != null) {
                simulation.close();
            }
            publisher.close();
            if (metrics != null) {
                metrics.close();
            }
            throw e;
        }
    }

    @Override
    public void close() {
        consumer.close();
        routers.close();
        supervisor.close();
        if (simulation != null) {
            simulation.close();
        }
        publisher.close();
        if (metrics != null) {
            metrics.close();
        }
    }

    /** Where {@code GET /metrics} is served on the host's address; 0 when it is not. */
    int metricsPort() {
        return metrics == null ? 0 : metrics.port();
    }
}
