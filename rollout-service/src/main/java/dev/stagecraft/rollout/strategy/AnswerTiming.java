package dev.stagecraft.rollout.strategy;

import dev.stagecraft.contracts.EventTypes;

/**
 * Which answer belongs where: the one rule that says whether an answer is the one the saga awaits now, one it
 * will await later in the same step (early: keep it), or one it has gone past (stale: drop it).
 *
 * <p>Answers come over different topics ({@code stagecraft.instances}, {@code stagecraft.health}), so after a
 * restart they may be read in another order than they were produced: health-monitor's verdict on step 4 can be
 * read before inventory-service's {@code instances.updated} for step 4 that it judges. Within one step the order is
 * fixed (the instances answer, then the verdict on it), and steps only grow, so the step number and the answer's
 * type are enough to place any answer.
 */
public final class AnswerTiming {

    public enum Timing {
        /** What the saga waits for now: apply it. */
        AWAITED,
        /** Belongs to where the saga will be later: keep it until then. */
        EARLY,
        /** Belongs to where the saga has been: a duplicate, a late answer, or one cut short; changes nothing. */
        STALE
    }

    /** The answer type a phase waits for, or null for phases that wait for no answer (waits, pauses, the end). */
    public static String awaitedType(Phase phase) {
        return switch (phase) {
            case RESOLVING -> EventTypes.TARGETS_RESOLVED;
            case PROVISIONING -> EventTypes.INSTANCES_PROVISIONED;
            case UPDATING -> EventTypes.INSTANCES_UPDATED;
            case ENABLING -> EventTypes.INSTANCES_ENABLED;
            case DECOMMISSIONING -> EventTypes.INSTANCES_DECOMMISSIONED;
            case WEIGHTING -> EventTypes.INSTANCES_WEIGHTED;
            case VERIFYING, ANALYSING -> EventTypes.VERDICT_REACHED;
            case WAITING, PAUSED, DONE -> null;
        };
    }

    public static Timing of(SagaState s, String answerType, int answerStep) {
        if (s.phase == Phase.DONE || answerStep < s.step) {
            return Timing.STALE;
        }
        if (answerStep > s.step) {
            // No request was sent under that number yet, so nothing should answer it; kept rather than lost.
            return Timing.EARLY;
        }
        if (answerType.equals(awaitedType(s.phase))) {
            return Timing.AWAITED;
        }
        // A step that provisions or updates instances is answered twice: by inventory-service, then by
        // health-monitor's verdict on what it changed.
        boolean verdictOnThisStep = EventTypes.VERDICT_REACHED.equals(answerType)
                && (s.phase == Phase.PROVISIONING || s.phase == Phase.UPDATING);
        return verdictOnThisStep ? Timing.EARLY : Timing.STALE;
    }

    private AnswerTiming() {
    }
}
