package dev.stagecraft.release.domain;

import java.time.Instant;

import dev.stagecraft.release.domain.window.ScheduleSpecs;
import dev.stagecraft.release.domain.window.WindowVerdict;
import dev.stagecraft.release.persistence.EnvironmentEntity;

/** The deploy-window and freeze gate, with an admin's break-glass override. */
final class WindowGate {

    /** {@code overrideReason} is non-null only for an admin's override (the caller checked the role). */
    static Gate evaluate(EnvironmentEntity env, Instant now, String actor, String overrideReason) {
        WindowVerdict verdict = ScheduleSpecs.fromStored(env.windows, env.freezes).check(now);
        if (verdict.open()) {
            return Gate.pass(Gate.WINDOW, verdict.describe(env.name)
                    + (overrideReason == null ? "" : "; the override was not needed"));
        }
        if (overrideReason != null) {
            return Gate.pass(Gate.WINDOW, "overridden by " + actor + ": " + overrideReason + " ("
                    + verdict.describe(env.name) + ")");
        }
        return Gate.fail(Gate.WINDOW, verdict.describe(env.name));
    }

    private WindowGate() {
    }
}
