package dev.stagecraft.inventory.domain;

import java.util.List;
import java.util.function.Supplier;

import dev.stagecraft.contracts.InstanceOutcome;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import io.smallrye.mutiny.Uni;

/**
 * What a step did to the world, still to be recorded: the answer it earned, the instance rows it created, changed
 * (detached copies, read before the slow part) and removed, and whether the fleet's size changed. The step's
 * processes and router weights are already as it says; only the database is not ({@link StepRecords}).
 *
 * @param undo what stops the processes the step started, should its record never be written
 */
public record StepResult(String answerType, List<InstanceOutcome> outcomes, List<InstanceEntity> created,
        List<InstanceEntity> changed, List<String> removed, boolean fleetChanged, Supplier<Uni<Void>> undo) {

    public static StepResult of(String answerType, List<InstanceOutcome> outcomes, List<InstanceEntity> changed) {
        return new StepResult(answerType, outcomes, List.of(), changed, List.of(), false, StepResult::nothing);
    }

    StepResult withCreated(List<InstanceEntity> rows, Supplier<Uni<Void>> stopThem) {
        return new StepResult(answerType, outcomes, rows, changed, removed, !rows.isEmpty(), stopThem);
    }

    StepResult withRemoved(List<String> ids) {
        return new StepResult(answerType, outcomes, created, changed, ids, !ids.isEmpty(), undo);
    }

    private static Uni<Void> nothing() {
        return Uni.createFrom().voidItem();
    }
}
