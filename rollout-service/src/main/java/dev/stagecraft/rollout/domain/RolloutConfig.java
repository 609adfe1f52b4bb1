package dev.stagecraft.rollout.domain;

import java.time.Duration;

import dev.stagecraft.rollout.strategy.Phase;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "stagecraft.rollout")
public interface RolloutConfig {
    Deadlines deadline();

    /** How often the reconciler looks for sagas past their deadline. */
    @WithDefault("1s")
    Duration reconcileEvery();

    interface Deadlines {
        @WithDefault("30s")
        Duration resolving();

        @WithDefault("120s")
        Duration provisioning();

        @WithDefault("120s")
        Duration updating();

        @WithDefault("90s")
        Duration verifying();

        @WithDefault("30s")
        Duration enabling();

        @WithDefault("60s")
        Duration decommissioning();

        /** For the router to confirm new weights. */
        @WithDefault("30s")
        Duration weighting();

        /**
         * Added to a phase's deadline for each instance its step moves beyond the first hundred
         * ({@link dev.stagecraft.rollout.strategy.PhaseDeadline}): a provision of 10,000 gets 120 s + 198 s.
         */
        @WithDefault("20ms")
        Duration perInstance();

        default Duration of(Phase phase) {
            return switch (phase) {
                case RESOLVING -> resolving();
                case PROVISIONING -> provisioning();
                case UPDATING -> updating();
                case VERIFYING -> verifying();
                case ENABLING -> enabling();
                case DECOMMISSIONING -> decommissioning();
                case WEIGHTING -> weighting();
                // Analyses and waits set their own deadline from their window; a pause has none.
                case ANALYSING, WAITING, PAUSED, DONE -> Duration.ZERO;
            };
        }
    }
}
