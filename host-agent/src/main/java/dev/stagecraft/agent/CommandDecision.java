package dev.stagecraft.agent;

import dev.stagecraft.contracts.HostCommand;
import dev.stagecraft.contracts.InstanceStatus;
import java.util.Optional;

/**
 * What one command means given what the agent holds for its instance. Every command is idempotent: a repeated
 * command id, a START of the spec that already runs, a START older than the held spec, and a STOP of an unknown
 * instance change nothing and only report the current state. Pure; the table test is the spec.
 */
final class CommandDecision {

    enum Action {
        /** Unknown instance: record it and launch it. */
        START_NEW,
        /** A different (or equal, after FAILED) spec of at least the held generation: stop the old process, launch this. */
        REPLACE,
        /** Same spec already held (running, starting or in backoff): nothing to do but report. */
        ALREADY_AS_ASKED,
        /** Older generation than the held spec: a late or replayed command; report what is held. */
        STALE,
        /** Known instance: terminate its process, forget it, report GONE. */
        STOP,
        /** Unknown instance: report GONE. */
        ALREADY_GONE,
        /** This command id was applied already: report only. */
        DUPLICATE,
        /** Cannot be applied (unknown type, missing spec, invalid id): log it and report nothing. */
        INVALID
    }

    private CommandDecision() {
    }

    static Action decide(HostCommand command, Optional<InstanceHandle> held, boolean commandIdSeen) {
        if (!HandleStore.isValidId(command.instanceId())) {
            return Action.INVALID;
        }
        if (commandIdSeen) {
            return Action.DUPLICATE;
        }
        if (HostCommand.STOP_INSTANCE.equals(command.type())) {
            return held.isPresent() ? Action.STOP : Action.ALREADY_GONE;
        }
        if (!HostCommand.START_INSTANCE.equals(command.type()) || command.spec() == null
                || !command.instanceId().equals(command.spec().instanceId()) || command.spec().release() == null
                || command.spec().release().artifact() == null) {
            return Action.INVALID;
        }
        if (held.isEmpty()) {
            return Action.START_NEW;
        }
        InstanceHandle h = held.get();
        if (command.spec().generation() < h.generation()) {
            return Action.STALE;
        }
        boolean sameSpec = command.spec().equals(h.spec());
        // A FAILED instance (say its artifact was missing) is tried again when asked again; anything else with the
        // same spec is already what was asked, whether it runs now or waits in backoff.
        if (sameSpec && !InstanceStatus.FAILED.equals(h.state()) && InstanceHandle.RUN.equals(h.desired())) {
            return Action.ALREADY_AS_ASKED;
        }
        return Action.REPLACE;
    }
}
