package dev.stagecraft.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts that make an agent a simulated host: its server, its runtime (also the agent's liveness check) and
 * records kept in memory. Everything else (commands, supervision, reports, heartbeats, routers) is the real agent's.
 */
final class SimulatedHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedHost.class);

    private final SimulatedServer server;
    private final SimulatedRuntime runtime;

    private SimulatedHost(SimulatedServer server, SimulatedRuntime runtime) {
        this.server = server;
        this.runtime = runtime;
    }

    static SimulatedHost start(AgentConfig config, SimulationSettings settings) {
        SimulatedAddresses addresses = SimulatedAddresses.forHost(config.hostAddress())
                .orElseThrow(() -> new IllegalArgumentException("a simulated host needs STAGECRAFT_HOST_ADDRESS "
                        + "127.0.0.N (N from 1 to 255): its instances get 127.N.x.y; got " + config.hostAddress()));
        SimulatedServer server = SimulatedServer.start(settings.port());
        LOG.info("simulation: host {} is a SIMULATED host; its instances are records served on 127.{}.x.y:{}, "
                + "not processes", config.hostId(), config.hostAddress().substring(config.hostAddress().lastIndexOf('.') + 1),
                server.port());
        return new SimulatedHost(server, new SimulatedRuntime(config, addresses, server));
    }

    InstanceRuntime runtime() {
        return runtime;
    }

    LivenessCheck liveness() {
        return runtime;
    }

    InstanceRecords records() {
        return new SimulatedRecords();
    }

    @Override
    public void close() {
        server.close();
    }
}
