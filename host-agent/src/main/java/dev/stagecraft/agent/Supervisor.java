package dev.stagecraft.agent;

import dev.stagecraft.contracts.HostCommand;
import dev.stagecraft.contracts.InstanceStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's sync loop, in kubelet's manner: every sync period it compares each instance's record with what runs
 * and acts (a process that ended goes to CRASH_LOOP_BACKOFF; one whose backoff is over is launched again; one that
 * fails liveness {@code threshold} times in a row is killed and treated as crashed). Commands, adoption, the loop
 * and heartbeats all run on one thread, so the records need no locks and every change is saved before it is
 * reported.
 */
final class Supervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final int REMEMBERED_COMMANDS = 1024;

    private final AgentConfig config;
    private final InstanceRecords store;
    private final InstanceRuntime runner;
    private final LivenessCheck liveness;
    private final StatusSink status;
    private final OwnThread thread = new OwnThread("supervisor");

    private final Map<String, InstanceHandle> handles = new LinkedHashMap<>();
    /**
     * The handles for readers on other threads (the metrics), as of the last sync or heartbeat after a change; replaced
     * whole, never changed. Copied there, not at every change: a step of 250 instances on a host of 2,500 copied all
     * 2,500 handles 500 times.
     */
    private volatile List<InstanceHandle> view = List.of();
    private boolean viewStale;
    private final Map<String, Integer> livenessFailures = new HashMap<>();
    private final Map<String, Long> lastLivenessCheck = new HashMap<>();
    /** Ids of commands applied since this agent started; older repeats are still harmless (see {@link CommandDecision}). */
    private final Map<String, Boolean> appliedCommands = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_COMMANDS;
        }
    };

    Supervisor(AgentConfig config, InstanceRecords store, InstanceRuntime runner, LivenessCheck liveness, StatusSink status) {
        this.config = config;
        this.store = store;
        this.runner = runner;
        this.liveness = liveness;
        this.status = status;
    }

    /** Adopts what the records describe, then runs the loop and the heartbeats. */
    void start() {
        thread.runAndWait(this::adoptRecorded);
        thread.loop("sync", config.syncPeriod(), this::sync);
        thread.beat("heartbeat", config.heartbeatInterval(), this::heartbeat);
    }

    /** Applies one command and returns once it is applied, saved and reported (the consumer commits after). */
    void apply(HostCommand command) {
        thread.runGuardedAndWait("command " + command.commandId(), () -> applyNow(command));
    }

    private void adoptRecorded() {
        Instant now = Instant.now();
        for (InstanceHandle record : store.loadAll()) {
            Optional<ProcStat> observed = ProcStat.of(record.pid());
            boolean answers = InstanceRunner.isOurs(record, observed) && liveness.isLive(record.address(), record.port());
            Adoption.Decision decision = Adoption.decide(record, observed, answers);
            LOG.info("instance {} (pid {}): {}", record.instanceId(), record.pid(), decision);
            switch (decision) {
                case ADOPT -> keep(InstanceStatus.RUNNING.equals(record.state()) ? record : record.running(now), null);
                case ADOPT_UNANSWERING, KEEP_RECORD -> keep(record, null);
                case RESTART_DEAD -> keep(record.crashed("process " + record.pid() + " ended while the agent was away",
                        config.backoff(), now), null);
                case RESTART_RECYCLED_PID -> keep(record.crashed("pid " + record.pid()
                        + " now belongs to another process (start time differs); not adopted", config.backoff(), now), null);
                case FINISH_STOP -> forget(record, null);
            }
        }
    }

    private void applyNow(HostCommand command) {
        Optional<InstanceHandle> held = Optional.ofNullable(handles.get(command.instanceId()));
        CommandDecision.Action action = CommandDecision.decide(command, held,
                command.commandId() != null && appliedCommands.containsKey(command.commandId()));
        LOG.info("command {} {} {}: {}", command.commandId(), command.type(), command.instanceId(), action);
        Instant now = Instant.now();
        switch (action) {
            case INVALID -> {
                return;
            }
            case DUPLICATE, ALREADY_AS_ASKED, STALE, ALREADY_GONE -> status.instanceChanged(held.map(InstanceHandle::status)
                    .orElseGet(() -> InstanceHandle.gone(command.instanceId(), now)), command.commandId());
            case START_NEW -> {
                InstanceHandle planned = runner.plan(command.spec(), now);
                // Recorded before launching: a crash in between leaves a record to restart from, not a stray process.
                store.save(planned);
                keep(runner.launch(planned, false, now), command.commandId());
                runningAtOnce(planned.instanceId());
            }
            case REPLACE -> {
                InstanceHandle old = held.orElseThrow();
                runner.terminate(old, config.stopGrace());
                InstanceHandle replaced = old.withSpec(command.spec());
                store.save(replaced);
                keep(runner.launch(replaced, false, now), command.commandId());
                runningAtOnce(replaced.instanceId());
            }
            case STOP -> forget(held.orElseThrow(), command.commandId());
        }
        if (command.commandId() != null) {
            appliedCommands.put(command.commandId(), Boolean.TRUE);
        }
    }

    /**
     * A just-launched instance of a runtime that answers in memory (the simulation) that already answers is RUNNING
     * now, as the next sync would find it: the controller waits for RUNNING, and up to a sync period (500 ms) per start
     * held each of its 200 start threads, so that 1,000 simulated restarts took 2-3 s.
     */
    private void runningAtOnce(String instanceId) {
        InstanceHandle launched = handles.get(instanceId);
        if (launched != null && runner.answersInMemory() && InstanceStatus.STARTING.equals(launched.state())
                && runner.isAlive(launched) && liveness.isLive(launched.address(), launched.port())) {
            keep(launched.running(Instant.now()), null);
        }
    }

    private void sync() {
        refreshView();
        for (InstanceHandle handle : new ArrayList<>(handles.values())) {
            Instant now = Instant.now();
            switch (handle.state()) {
                case InstanceStatus.STARTING, InstanceStatus.RUNNING -> watch(handle, now);
                case InstanceStatus.CRASH_LOOP_BACKOFF -> {
                    if (!now.isBefore(handle.nextRestartAt())) {
                        keep(runner.launch(handle, true, now), null);
                    }
                }
                default -> {
                    // FAILED waits for a new command.
                }
            }
        }
    }

    private void watch(InstanceHandle handle, Instant now) {
        String id = handle.instanceId();
        if (!runner.isAlive(handle)) {
            keep(handle.crashed(runner.exitOf(handle), config.backoff(), now), null);
            return;
        }
        if (InstanceStatus.STARTING.equals(handle.state())) {
            if (liveness.isLive(handle.address(), handle.port())) {
                keep(handle.running(now), null);
            } else if (now.isAfter(handle.since().plus(config.startTimeout()))) {
                runner.terminate(handle, config.stopGrace());
                keep(handle.crashed("did not answer " + HttpLivenessCheck.PATH + " within " + config.startTimeout(),
                        config.backoff(), now), null);
            }
            return;
        }
        long nowNanos = System.nanoTime();
        Long last = lastLivenessCheck.get(id);
        if (last != null && nowNanos - last < config.livenessPeriod().toNanos()) {
            return;
        }
        lastLivenessCheck.put(id, nowNanos);
        if (liveness.isLive(handle.address(), handle.port())) {
            livenessFailures.remove(id);
            return;
        }
        int failures = livenessFailures.merge(id, 1, Integer::sum);
        LOG.warn("instance {} failed liveness ({} of {})", id, failures, config.livenessFailureThreshold());
        if (failures >= config.livenessFailureThreshold()) {
            runner.terminate(handle, config.stopGrace());
            keep(handle.crashed("liveness failed " + failures + " times", config.backoff(), now), null);
        }
    }

    /** Saves, holds and reports a handle, if it changed (or a command asks for the answer). */
    private void keep(InstanceHandle handle, String commandId) {
        InstanceHandle before = handles.put(handle.instanceId(), handle);
        if (!handle.equals(before)) {
            store.save(handle);
        }
        if (before == null || !before.state().equals(handle.state()) || before.pid() != handle.pid()) {
            livenessFailures.remove(handle.instanceId());
            lastLivenessCheck.remove(handle.instanceId());
            LOG.info("instance {} {} pid {} port {} restarts {}{}", handle.instanceId(), handle.state(), handle.pid(),
                    handle.port(), handle.restarts(), handle.lastExit() == null ? "" : " (last exit: " + handle.lastExit() + ")");
        }
        viewStale = true;
        if (commandId != null || !handle.equals(before)) {
            status.instanceChanged(handle.status(), commandId);
        }
    }

    /** Every instance held, as of the last sync or heartbeat (at most a sync period behind). */
    List<InstanceHandle> view() {
        return view;
    }

    private void refreshView() {
        if (viewStale) {
            view = List.copyOf(handles.values());
            viewStale = false;
        }
    }

    /** Stop, then forget: the record says STOP until the process is gone, so a crash mid-way finishes the stop later. */
    private void forget(InstanceHandle handle, String commandId) {
        InstanceHandle stopping = handle.stopping();
        store.save(stopping);
        runner.terminate(stopping, config.stopGrace());
        store.delete(handle.instanceId());
        runner.forgotten(handle);
        handles.remove(handle.instanceId());
        viewStale = true;
        livenessFailures.remove(handle.instanceId());
        lastLivenessCheck.remove(handle.instanceId());
        LOG.info("instance {} stopped and forgotten", handle.instanceId());
        status.instanceChanged(InstanceHandle.gone(handle.instanceId(), Instant.now()), commandId);
    }

    private void heartbeat() {
        refreshView();
        status.heartbeat(handles.values().stream().map(InstanceHandle::status).toList());
    }

    /** Stops supervising; never the instances, which keep running for the next agent to adopt. */
    @Override
    public void close() {
        thread.close();
    }
}
