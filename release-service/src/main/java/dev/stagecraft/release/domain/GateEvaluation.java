package dev.stagecraft.release.domain;

import java.util.List;

import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.EnvironmentEntity;
import dev.stagecraft.release.persistence.ReleaseEntity;

/**
 * The gates a request passed, with what they were checked against: the release, the environment
 * (locked for the rest of the transaction), the deployment holding the slot (null if free) and the
 * concurrency mode that decides what happens when it is taken.
 */
public record GateEvaluation(ReleaseEntity release, EnvironmentEntity environment, List<Gate> gates,
        DeploymentEntity holder, ConcurrencyMode mode) {

    public boolean awaitsApproval() {
        return gates.stream().anyMatch(g -> g.name().equals(Gate.APPROVAL) && g.pending());
    }
}
