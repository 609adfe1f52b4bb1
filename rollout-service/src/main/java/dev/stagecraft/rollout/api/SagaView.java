package dev.stagecraft.rollout.api;

import java.time.Instant;
import java.util.List;

import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.rollout.persistence.SagaDecision;
import dev.stagecraft.rollout.persistence.SagaEntity;
import dev.stagecraft.rollout.strategy.SagaState;

public record SagaView(String deploymentId, String strategy, String status, String phase, Instant deadline,
        SagaState state, List<Decision> decisions) {

    public record Decision(Instant at, String fact, String decision) {
    }

    public static SagaView of(SagaEntity e, List<SagaDecision> decisions) {
        return new SagaView(e.deploymentId, e.strategy, e.status, e.phase, e.deadline,
                JsonText.read(e.state, SagaState.class),
                decisions.stream().map(d -> new Decision(d.at, d.fact, d.decision)).toList());
    }
}
