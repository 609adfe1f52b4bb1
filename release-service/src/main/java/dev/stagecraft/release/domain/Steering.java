package dev.stagecraft.release.domain;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.platform.api.Problem;

/**
 * What an operator may ask of a running canary or blue-green saga besides stopping it, and when. Pure:
 * {@link DeploymentSteering} publishes the request, rollout-service carries it out and answers with
 * {@code deployment.paused} or {@code .resumed}. Rolling deployments have no steps to hold or skip.
 */
public enum Steering {
    /** Hold at the current step, after its analysis, until a resume or promote. */
    PAUSE("pause", EventTypes.PAUSE_REQUESTED, EnumSet.of(DeploymentStatus.IN_PROGRESS)),
    RESUME("resume", EventTypes.RESUME_REQUESTED, EnumSet.of(DeploymentStatus.PAUSED)),
    /** Skip to the next step, or ({@code full}) past every remaining step and analysis. */
    PROMOTE("promote", EventTypes.PROMOTE_REQUESTED, EnumSet.of(DeploymentStatus.IN_PROGRESS, DeploymentStatus.PAUSED));

    static final Set<String> STEERABLE_STRATEGIES = Set.of(StrategySpec.CANARY, StrategySpec.BLUE_GREEN);

    private final String verb;
    private final String eventType;
    private final Set<DeploymentStatus> from;

    Steering(String verb, String eventType, Set<DeploymentStatus> from) {
        this.verb = verb;
        this.eventType = eventType;
        this.from = from;
    }

    public String verb() {
        return verb;
    }

    /** The CloudEvents type of the {@code OperatorRequest} on {@code stagecraft.rollbacks}. */
    public String eventType() {
        return eventType;
    }

    /** The audit log's action. */
    public String auditAction() {
        return "deployment." + verb + "-requested";
    }

    /** Every reason why this cannot be asked of a deployment of that strategy type in that status; empty if it can. */
    public List<Problem.Violation> refusals(String strategyType, DeploymentStatus status) {
        List<Problem.Violation> refusals = new ArrayList<>();
        if (!STEERABLE_STRATEGIES.contains(strategyType)) {
            refusals.add(new Problem.Violation("strategy.type", "a " + strategyType + " deployment cannot be "
                    + participle() + ": only canary and blue-green deployments have steps to hold or skip"));
        }
        if (!from.contains(status)) {
            refusals.add(new Problem.Violation("status", status + ": " + whyNot(status)));
        }
        return refusals;
    }

    private String whyNot(DeploymentStatus status) {
        if (status.isTerminal()) {
            return "it has finished";
        }
        if (this == PAUSE && status == DeploymentStatus.PAUSED) {
            return "it is paused already";
        }
        if (this == RESUME && status == DeploymentStatus.IN_PROGRESS) {
            return "it is not paused";
        }
        return switch (status) {
            case AWAITING_APPROVAL -> "it awaits approval; its saga has not started";
            case REQUESTED -> "its saga has not started yet";
            case ROLLING_BACK -> "it is rolling back";
            default -> "only possible while it " + (this == RESUME ? "is paused" : "runs");
        };
    }

    private String participle() {
        return switch (this) {
            case PAUSE -> "paused";
            case RESUME -> "resumed";
            case PROMOTE -> "promoted";
        };
    }
}
