package dev.stagecraft.inventory.domain;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.inventory.persistence.InstanceRows;
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
        // One statement per thousand rows, not one call per row: see InstanceRows for the step that never answered.
        Map<String, InstanceEntity> changed = result.changed().stream()
                .collect(Collectors.toMap(i -> i.id, i -> i, (a, b) -> b));
        Uni<Void> writes = changed.isEmpty() ? Uni.createFrom().voidItem()
                : InstanceRows.findAll(changed.keySet()).invoke(rows -> rows.forEach(
                        row -> row.takeStateOf(changed.get(row.id)))).replaceWithVoid();
        writes = writes.chain(() -> InstanceRows.persistAll(result.created()));
        List<String> removed = result.removed();
        if (!removed.isEmpty()) {
            writes = writes.chain(() -> InstanceRows.deleteAll(removed).replaceWithVoid());
        }
        return writes.chain(Panache::flush)
                .chain(() -> answers.answer(r, result.answerType(),
                        new InstancesChanged(r.deploymentId(), r.step(), result.outcomes())))
                // The fleet has more or fewer instances now: say so in this transaction, counted after the writes.
                .chain(() -> result.fleetChanged() ? fleets.publish(r.service(), r.environment())
                        : Uni.createFrom().voidItem());
    }
}
