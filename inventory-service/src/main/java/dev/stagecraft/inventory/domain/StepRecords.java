package dev.stagecraft.inventory.domain;

import java.util.List;

import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes what a step did ({@link StepResult}) in the inbox's transaction: its instance rows, its answer (kept for a
 * step asked again) and the fleet's new size. Changed rows are read afresh and given the step's values, rather than
 * merged from the copies read before the slow part: the step is the authority on the processes it just started.
 */
@ApplicationScoped
public class StepRecords {
    private final StepAnswers answers;
    private final FleetEvents fleets;

    public StepRecords(StepAnswers answers, FleetEvents fleets) {
        this.answers = answers;
        this.fleets = fleets;
    }

    public Uni<Void> record(StepRequest r, StepResult result) {
        Uni<Void> writes = Uni.createFrom().voidItem();
        for (InstanceEntity changed : result.changed()) {
            writes = writes.chain(() -> InstanceEntity.<InstanceEntity>findById(changed.id)
                    .invoke(row -> {
                        if (row != null) {
                            row.takeStateOf(changed);
                        }
                    }).replaceWithVoid());
        }
        for (InstanceEntity created : result.created()) {
            writes = writes.chain(() -> created.persist().replaceWithVoid());
        }
        List<String> removed = result.removed();
        if (!removed.isEmpty()) {
            writes = writes.chain(() -> InstanceEntity.delete("id in ?1", removed).replaceWithVoid());
        }
        return writes.chain(Panache::flush)
                .chain(() -> answers.answer(r, result.answerType(),
                        new InstancesChanged(r.deploymentId(), r.step(), result.outcomes())))
                // The fleet has more or fewer instances now: say so in this transaction, counted after the writes.
                .chain(() -> result.fleetChanged() ? fleets.publish(r.service(), r.environment())
                        : Uni.createFrom().voidItem());
    }
}
