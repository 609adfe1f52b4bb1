package dev.stagecraft.rollout.strategy;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.VerdictReached;

/**
 * An answer to one numbered step: inventory-service's {@code instances.*} or health-monitor's verdict. Stored
 * whole in the saga's state when it arrives before the saga reaches its step, so that it can be applied then.
 *
 * @param type the event type it came as
 * @param instances the payload of an {@code instances.*} answer, else null
 * @param verdict the payload of a verdict, else null
 */
public record StepAnswer(String type, InstancesChanged instances, VerdictReached verdict) {

    public static StepAnswer of(String type, InstancesChanged instances) {
        return new StepAnswer(type, instances, null);
    }

    public static StepAnswer of(VerdictReached verdict) {
        return new StepAnswer(EventTypes.VERDICT_REACHED, null, verdict);
    }

    public int step() {
        return verdict != null ? verdict.step() : instances.step();
    }

    public boolean fromHealthMonitor() {
        return verdict != null;
    }

    java.util.List<Effect> applyTo(Saga saga) {
        return fromHealthMonitor() ? saga.onVerdict(verdict) : saga.onInstancesChanged(type, instances);
    }

    /** For the decision log: "updated for step 4", "verdict PASS for step 4". */
    public String describe() {
        return fromHealthMonitor() ? "verdict " + verdict.result() + " for step " + step()
                : type.substring(type.lastIndexOf('.') + 1) + " for step " + step();
    }
}
