package dev.stagecraft.agent;

import dev.stagecraft.contracts.InstanceSpec;
import dev.stagecraft.contracts.secrets.SecretException;
import dev.stagecraft.sample.InvalidConfigException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs simulated instances: records inside the agent, served by its {@link SimulatedServer}, not processes. An
 * instance gets the variables a real one would, and behaves as its release's {@code SAMPLE_*} variables say
 * ({@link SimulatedRelease}). Its "process" is the agent itself: the pid and start time it reports are the agent's,
 * which is true (the agent serves it), and after an agent restart the record names a process that is gone, as it
 * is. The agent's own liveness check asks the simulation directly ({@link #isLive}) instead of over HTTP: ten
 * thousand probes every 5 s to itself would cost the agent more than the instances; health-monitor and routers
 * reach the instances over real HTTP.
 */
final class SimulatedRuntime implements InstanceRuntime, LivenessCheck {
    /** The artifact path a simulated instance's record names: nothing is fetched or run. */
    static final String ARTIFACT = "simulated";

    private final AgentConfig config;
    private final SimulatedAddresses addresses;
    private final SimulatedServer server;
    private final long agentPid = ProcessHandle.current().pid();
    private final long agentStartTicks = ProcStat.of(agentPid).map(ProcStat::startTicks).orElse(0L);
    /** Instances that could not start, and why, as an exit the agent then reports (simulated exits). */
    private final Map<String, String> exits = new ConcurrentHashMap<>();

    SimulatedRuntime(AgentConfig config, SimulatedAddresses addresses, SimulatedServer server) {
        this.config = config;
        this.addresses = addresses;
        this.server = server;
    }

    @Override
    public InstanceHandle plan(InstanceSpec spec, Instant now) {
        String address = addresses.take().orElseThrow(() -> new IllegalStateException("simulation: all "
                + SimulatedAddresses.CAPACITY + " addresses of host " + config.hostId() + " are taken"));
        return InstanceHandle.planned(spec, address, server.port(), now);
    }

    @Override
    public InstanceHandle launch(InstanceHandle handle, boolean isRestart, Instant now) {
        server.remove(handle.address());
        exits.remove(handle.instanceId());
        SimulatedRelease release;
        try {
            release = SimulatedRelease.of(InstanceRunner.instanceVariables(config, handle));
        } catch (SecretException e) {
            return handle.failed(e.getMessage(), now);
        } catch (InvalidConfigException e) {
            // The sample app prints its problems and exits 2.
            exits.put(handle.instanceId(), "exit 2 (simulated: " + String.join("; ", e.problems()) + ")");
            return handle.launched(ARTIFACT, agentPid, agentStartTicks, isRestart, now);
        }
        if (release.crashOnStart()) {
            exits.put(handle.instanceId(), "exit 1 (simulated: SAMPLE_CRASH_ON_START=true)");
        } else {
            server.serve(new SimulatedInstance(handle.instanceId(), handle.address(), release, System.nanoTime()));
        }
        return handle.launched(ARTIFACT, agentPid, agentStartTicks, isRestart, now);
    }

    @Override
    public boolean answersInMemory() {
        return true;
    }

    @Override
    public boolean isAlive(InstanceHandle handle) {
        return server.at(handle.address()).isPresent();
    }

    @Override
    public String exitOf(InstanceHandle handle) {
        String exit = exits.remove(handle.instanceId());
        return exit != null ? exit : "simulated instance ended";
    }

    @Override
    public void terminate(InstanceHandle handle, Duration grace) {
        server.remove(handle.address());
    }

    @Override
    public void forgotten(InstanceHandle handle) {
        exits.remove(handle.instanceId());
        addresses.release(handle.address());
    }

    @Override
    public boolean isLive(String address, int port) {
        return port == server.port() && server.at(address)
                .map(i -> i.answer("GET", HttpLivenessCheck.PATH))
                .map(a -> a.status() >= 200 && a.status() < 300)
                .orElse(false);
    }
}
