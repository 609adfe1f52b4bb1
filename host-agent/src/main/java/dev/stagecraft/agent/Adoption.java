package dev.stagecraft.agent;

import java.util.Optional;

/**
 * What a (re)started agent does with one record it finds on disk, given what it can observe: the process with the
 * recorded pid (if any), and whether the instance's port answers. Pure; the table test is the spec.
 *
 * <p>A process is ours only if its pid AND its start time match the record: after a reboot or a long time, the
 * pid may belong to an unrelated process, which must never be adopted, signalled or trusted.
 */
final class Adoption {

    enum Decision {
        /** Ours, alive, answering: keep it as it is; no restart. */
        ADOPT,
        /** Ours and alive but its port does not answer (yet): keep it, and let start-up and liveness rules judge. */
        ADOPT_UNANSWERING,
        /** Its process ended while the agent was away: count a crash and restart with backoff. */
        RESTART_DEAD,
        /** The pid lives but is another process (different start time): not ours; restart ours, never signal it. */
        RESTART_RECYCLED_PID,
        /** A stop was under way: finish it (terminate our process, then forget the record). */
        FINISH_STOP,
        /** No process was recorded (backoff or failed): carry on from the record. */
        KEEP_RECORD
    }

    private Adoption() {
    }

    static Decision decide(InstanceHandle record, Optional<ProcStat> observed, boolean portAnswers) {
        if (InstanceHandle.STOP.equals(record.desired())) {
            return Decision.FINISH_STOP;
        }
        if (!record.hasProcess()) {
            return Decision.KEEP_RECORD;
        }
        if (observed.isEmpty() || observed.get().ended()) {
            return Decision.RESTART_DEAD;
        }
        if (observed.get().startTicks() != record.startTicks()) {
            return Decision.RESTART_RECYCLED_PID;
        }
        return portAnswers ? Decision.ADOPT : Decision.ADOPT_UNANSWERING;
    }
}
