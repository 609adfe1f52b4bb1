package dev.stagecraft.rollout.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.platform.secrets.SecretMasking;
import dev.stagecraft.rollout.persistence.SagaDecision;
import dev.stagecraft.rollout.persistence.SagaEntity;

/**
 * A saga as people see it. {@code state} is the saga's stored state with every secret shown as "***": the
 * releases in it carry their environment's sealed secrets, which no viewer may read, sealed or not.
 */
public record SagaView(String deploymentId, String strategy, String status, String phase, Instant deadline,
        JsonNode state, List<Decision> decisions) {

    public record Decision(Instant at, String fact, String decision) {
    }

    public static SagaView of(SagaEntity e, List<SagaDecision> decisions) {
        return new SagaView(e.deploymentId, e.strategy, e.status, e.phase, e.deadline,
                SecretMasking.masked(JsonText.read(e.state, JsonNode.class)),
                decisions.stream().map(d -> new Decision(d.at, d.fact, d.decision)).toList());
    }
}
