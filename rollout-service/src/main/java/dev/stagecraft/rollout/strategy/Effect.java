package dev.stagecraft.rollout.strategy;

import dev.stagecraft.contracts.AnalysisRequest;
import dev.stagecraft.contracts.StepRequest;

/** What a saga transition asks the world to do; the orchestrator turns effects into outbox records. */
public sealed interface Effect {
    /** Ask inventory-service to act ({@code type} is one of the *-requested event types). */
    record Command(String type, StepRequest request) implements Effect {
    }

    /** Ask health-monitor to judge a pool by its metrics over a window. */
    record Analysis(AnalysisRequest request) implements Effect {
    }

    /** Tell everyone how the deployment stands ({@code type} is a deployment.* event type). */
    record Lifecycle(String type, String status, String message) implements Effect {
    }
}
