package dev.stagecraft.inventory.driver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.HostCommand;
import dev.stagecraft.contracts.InstanceSpec;
import dev.stagecraft.contracts.InstanceStatus;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.inventory.agent.AgentReports;
import dev.stagecraft.inventory.agent.AgentReports.Observed;
import dev.stagecraft.inventory.agent.HostCommandSender;
import dev.stagecraft.inventory.agent.HostDirectory;
import dev.stagecraft.inventory.agent.HostDirectory.Host;
import dev.stagecraft.inventory.agent.HostStatusListener;
import dev.stagecraft.inventory.agent.RouterReports;
import dev.stagecraft.contracts.secrets.InstanceVariables;
import dev.stagecraft.contracts.secrets.SecretException;
import dev.stagecraft.platform.artifact.ArtifactFetcher;
import org.jboss.logging.Logger;

/**
 * Runs instances through the host agents (DESIGN.md, "Instances: control plane and data plane"): a START_INSTANCE
 * to the chosen host, then the agent's reports say when it runs. The instances are the agents' processes, not
 * this service's, so they outlive it: {@link #stopAll} stops nothing, and after a restart {@link #survivor} tells
 * the recovery which instances still run, where.
 */
public class AgentDriver implements InstanceDriver {
    private static final Logger LOG = Logger.getLogger(AgentDriver.class);
    /** How long a release's check (runtime, sealed secrets, artifact and its sha256) stands for further starts. */
    static final Duration CHECKED_FOR = Duration.ofSeconds(10);

    private final DriverConfig config;
    private final ArtifactFetcher artifacts;
    private final AgentArtifacts toAgents;
    private final HostDirectory hosts;
    private final AgentReports reports;
    private final HostCommandSender commands;
    private final HostStatusListener listener;
    /** service and environment of each instance, the labels of its restart count. */
    private final Map<String, List<String>> labels = new ConcurrentHashMap<>();
    /**
     * Each release as sent to the agents, checked once for a step's worth of starts rather than once per instance
     * ({@link RecentlyChecked}). The agent still checks the artifact's sha256 itself before every launch.
     */
    private final RecentlyChecked<ReleaseSpec, ReleaseSpec> checkedReleases = new RecentlyChecked<>(CHECKED_FOR);

    public AgentDriver(DriverConfig config, ArtifactFetcher artifacts, AgentArtifacts toAgents, HostDirectory hosts,
            AgentReports reports, HostCommandSender commands, HostStatusListener listener) {
        this.config = config;
        this.artifacts = artifacts;
        this.toAgents = toAgents;
        this.hosts = hosts;
        this.reports = reports;
        this.commands = commands;
        this.listener = listener;
    }

    @Override
    public RunningInstance start(String instanceId, String environment, ReleaseSpec release) {
        labels.put(instanceId, List.of(release.service(), environment));
        ReleaseSpec sent = checkedReleases.get(release, this::releaseForAgent);
        Host host = hostFor(instanceId);
        // The generation only has to grow for one instance; the clock does that across restarts of this service too.
        long generation = System.currentTimeMillis();
        String commandId = UUID.randomUUID().toString();
        try {
            commands.send(HostCommand.start(commandId, host.hostId(),
                    new InstanceSpec(instanceId, environment, sent, generation)));
            Optional<Observed> answer = await(instanceId, o -> o.status().generation() >= generation
                    && !InstanceStatus.STARTING.equals(o.status().state()), false,
                    config.startTimeout().plus(config.agent().answerMargin()));
            if (answer == null) {
                stopQuietly(host.hostId(), instanceId);
                throw new DriverException("host " + host.hostId() + " did not report instance " + instanceId
                        + " running within " + config.startTimeout().plus(config.agent().answerMargin()));
            }
            Observed observed = answer.orElseThrow();
            if (!observed.isRunning()) {
                // a crash loop would go on unseen by the saga, which marks the instance FAILED: end it
                stopQuietly(host.hostId(), instanceId);
                throw new DriverException(startFailure(host.hostId(), instanceId, observed.status()));
            }
            LOG.infof("instance %s runs %s %s on host %s as pid %d at %s", instanceId, release.service(),
                    release.version(), host.hostId(), observed.status().pid(), observed.address());
            return new RunningInstance(observed.address(), observed.status().pid());
        } finally {
            hosts.settled(instanceId);
        }
    }

    /**
     * Why a start failed, in the words the local-process driver uses where they apply: an instance whose process ended
     * before it was ever RUNNING "exited during start-up", whatever host ran it.
     */
    static String startFailure(String hostId, String instanceId, InstanceStatus s) {
        String exit = s.lastExit();
        boolean exited = InstanceStatus.CRASH_LOOP_BACKOFF.equals(s.state()) && exit != null
                && (exit.startsWith("exit ") || exit.startsWith("killed by signal"));
        String why = Optional.ofNullable(s.detail()).or(() -> Optional.ofNullable(exit)).orElse("no detail");
        return exited ? "process exited during start-up on host " + hostId + " (" + exit + "); its agent reported "
                + s.state() + " and was told to stop it"
                : "host " + hostId + " reports instance " + instanceId + " " + s.state() + ": " + why;
    }

    /**
     * The release as the agent gets it. Secrets travel sealed, exactly as they came (bound to this environment,
     * service and variable name): the host agent holds the key ring and opens them for the instance's own
     * environment and service, so no plain secret is ever put on a Kafka topic, and this service needs no key in agent
     * mode. A plain value where a sealed one belongs, or a sealed-looking config value, is refused here. The artifact
     * is fetched and checked here under the platform's policy, then named to the agent as {@link AgentArtifacts}
     * says: by default as the store's {@code stagecraft-artifact:sha256:<hex>}, which the agent downloads from
     * release-service and checks itself (again before every launch).
     */
    private ReleaseSpec releaseForAgent(ReleaseSpec release) {
        try {
            InstanceVariables.requireSealedOnly(release);
        } catch (SecretException e) {
            throw new DriverException(e.getMessage(), e);
        }
        Path artifact = RunnableArtifact.fetch(release, artifacts);
        return new ReleaseSpec(release.service(), release.version(),
                toAgents.forAgent(artifact, release.artifact().sha256()),
                release.config(), release.secrets(), release.runtime());
    }

    /** Where the instance is already (a new spec replaces its process on the same port), else the emptiest host. */
    private Host hostFor(String instanceId) {
        Optional<Host> current = reports.get(instanceId).filter(o -> hosts.isAlive(o.hostId()))
                .flatMap(o -> hosts.host(o.hostId()));
        if (current.isPresent()) {
            return current.get();
        }
        Host placed = hosts.place(instanceId, reports.countByHost()).orElseThrow(() -> new DriverException(
                "no host agent is alive (no heartbeat on stagecraft.host-status within "
                        + config.agent().heartbeatFreshness() + ")"));
        // Moved off a silent host only once another one takes it: the old copy stops when that agent reads its commands.
        reports.get(instanceId).ifPresent(o -> stopQuietly(o.hostId(), instanceId));
        return placed;
    }

    @Override
    public void stop(String instanceId) {
        Optional<Observed> held = reports.get(instanceId);
        if (held.isEmpty()) {
            return;
        }
        String hostId = held.get().hostId();
        commands.send(HostCommand.stop(UUID.randomUUID().toString(), hostId, instanceId));
        Duration bound = config.stopTimeout().plus(config.agent().answerMargin());
        if (await(instanceId, o -> false, true, bound) == null) {
            LOG.warnf("host %s did not report instance %s GONE within %s", hostId, instanceId, bound);
        }
    }

    private void stopQuietly(String hostId, String instanceId) {
        try {
            commands.send(HostCommand.stop(UUID.randomUUID().toString(), hostId, instanceId));
        } catch (RuntimeException e) {
            LOG.warnf("could not send STOP of %s to host %s: %s", instanceId, hostId, e.getMessage());
        }
    }

    @Override
    public boolean isRunning(String instanceId) {
        return reports.get(instanceId).filter(Observed::isRunning).isPresent();
    }

    @Override
    public Optional<RunningInstance> survivor(String instanceId, String environment, ReleaseSpec release) {
        labels.put(instanceId, List.of(release.service(), environment));
        return reports.get(instanceId).filter(Observed::isRunning)
                .map(o -> new RunningInstance(o.address(), o.status().pid()));
    }

    @Override
    public Optional<String> observedProblem(String instanceId) {
        Optional<Observed> held = reports.get(instanceId);
        if (held.isPresent() && !hosts.isAlive(held.get().hostId())) {
            return Optional.of("host " + held.get().hostId() + " is lost: no heartbeat within "
                    + config.agent().heartbeatFreshness());
        }
        return held.filter(o -> !o.isRunning()).map(o -> "host " + o.hostId() + " reports "
                + o.status().state() + Optional.ofNullable(o.status().lastExit()).map(e -> " (last exit: " + e + ")")
                        .orElse("") + Optional.ofNullable(o.status().detail()).map(d -> ": " + d).orElse(""));
    }

    @Override
    public Optional<Observation> observation(String instanceId) {
        return reports.get(instanceId).map(o -> new Observation(o.hostId(),
                hosts.isAlive(o.hostId()) ? o.status().state() : Observation.HOST_LOST, o.status().pid(),
                o.status().restarts()));
    }

    @Override
    public List<ObservedChange> history(String instanceId) {
        return reports.history(instanceId).stream().map(c -> new ObservedChange(c.at(), c.host(), c.state(), c.pid(),
                c.restarts(), c.detail())).toList();
    }

    @Override
    public boolean isLost(String instanceId) {
        Optional<Observed> held = reports.get(instanceId);
        // With no live host at all, this service is more likely deaf (its status listener, the broker) than every
        // host dead: nothing is moved, and nothing is stopped.
        return hosts.anyAlive() && held.map(o -> !hosts.isAlive(o.hostId())).orElse(true);
    }

    @Override
    public List<HostedInstance> hostedInstances() {
        return reports.all().stream().map(o -> new HostedInstance(o.status().instanceId(), o.hostId(),
                o.status().service(), o.status().environment(), o.status().state(), hosts.isAlive(o.hostId())))
                .toList();
    }

    /** service and environment of an instance this driver started or took over; empty for another. */
    public Optional<List<String>> labelsOf(String instanceId) {
        return Optional.ofNullable(labels.get(instanceId));
    }

    @Override
    public void awaitObservedState() {
        try {
            if (!listener.awaitCaughtUp(config.agent().takeoverGrace())) {
                LOG.warnf("host status not read up to now within %s; instances not reported yet count as lost",
                        config.agent().takeoverGrace());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void catchUpWithHosts() {
        try {
            if (!listener.awaitReadUpToNow(config.agent().answerMargin())) {
                LOG.warnf("host status not read up to now within %s; acting on what is read",
                        config.agent().answerMargin());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The instances run under their agents and outlive this service on purpose: nothing is stopped. */
    @Override
    public void stopAll() {
        listener.close();
        commands.close();
    }

    private Optional<Observed> await(String instanceId, java.util.function.Predicate<Observed> done,
            boolean goneCounts, Duration timeout) {
        try {
            return reports.await(instanceId, done, goneCounts, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted while waiting for instance " + instanceId);
        }
    }

    /** The hosts, for the fleet routers the agents run ({@code AgentRouter}). */
    public HostDirectory hosts() {
        return hosts;
    }

    /** The command sender, shared with the fleet routers. */
    public HostCommandSender commands() {
        return commands;
    }

    /** The fleet routers as the agents report them. */
    public RouterReports routers() {
        return listener.routers();
    }
}
