package dev.stagecraft.release.domain;

import java.util.List;

import dev.stagecraft.contracts.MaxUnavailable;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.release.api.DeploymentRequest;

/** Turns the strategy a user asked for into the saga's {@link StrategySpec}, or names what is wrong with it. */
public final class StrategyValidation {
    static final List<String> KNOWN = List.of(StrategySpec.ROLLING, StrategySpec.BLUE_GREEN, StrategySpec.CANARY);
    static final List<String> AVAILABLE = List.of(StrategySpec.ROLLING);

    public static StrategySpec check(Violations v, DeploymentRequest.Strategy strategy) {
        if (strategy == null || strategy.type() == null || strategy.type().isBlank()) {
            v.add("strategy.type", "is required: one of " + String.join(", ", KNOWN));
            return null;
        }
        if (!KNOWN.contains(strategy.type())) {
            v.add("strategy.type", "unknown strategy type '" + strategy.type() + "': one of " + String.join(", ", KNOWN));
            return null;
        }
        String maxUnavailable = strategy.maxUnavailable() == null ? MaxUnavailable.ONE.toString()
                : strategy.maxUnavailable();
        if (MaxUnavailable.parse(maxUnavailable).isEmpty()) {
            v.add("strategy.maxUnavailable", "'" + strategy.maxUnavailable()
                    + "' must be a count of at least 1 or a percentage from 1% to 100%");
        }
        return new StrategySpec(strategy.type(), maxUnavailable);
    }

    /** Known but not built yet: say so plainly rather than pretend. */
    public static void requireAvailable(StrategySpec spec) {
        if (!AVAILABLE.contains(spec.type())) {
            throw ApiProblem.unprocessable("strategy " + spec.type() + " is not available yet",
                    List.of(new Problem.Violation("strategy.type", "'" + spec.type()
                            + "' is not available in this version; available: " + String.join(", ", AVAILABLE))));
        }
    }

    private StrategyValidation() {
    }
}
