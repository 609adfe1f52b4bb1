package dev.stagecraft.inventory.domain;

import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;

import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.inventory.persistence.StepAnswerEntity;
import dev.stagecraft.platform.outbox.Outbox;
import dev.stagecraft.platform.persistence.JsonText;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Makes each saga step idempotent by its identity (deployment and step number), not only by event id: rollout-service
 * asks a step again when its answer is late, under a new event id that the inbox does not recognise. A step carried
 * out before is answered again with the outcome it had; it is never carried out twice (a second provision would
 * start a second set of instances).
 */
@ApplicationScoped
public class StepAnswers {
    private static final Logger LOG = Logger.getLogger(StepAnswers.class);

    private final Outbox outbox;
    private final ObjectMapper mapper;

    public StepAnswers(Outbox outbox, ObjectMapper mapper) {
        this.outbox = outbox;
        this.mapper = mapper;
    }

    /** Carries the step out, or when it was carried out already, publishes its answer again. In the inbox's transaction. */
    public Uni<Void> onceOrAgain(StepRequest r, Supplier<Uni<Void>> carryOut) {
        return StepAnswerEntity.<StepAnswerEntity>findById(StepAnswerEntity.idOf(r.deploymentId(), r.step()))
                .chain(given -> {
                    if (given == null) {
                        return carryOut.get();
                    }
                    return again(r, given);
                });
    }

    /**
     * The answer a step got already, if it was carried out before; read in a short session of its own, before a step
     * that takes long starts (no transaction is held across its work).
     */
    public Uni<StepAnswerEntity> given(StepRequest r) {
        return Panache.withSession(() -> StepAnswerEntity.<StepAnswerEntity>findById(
                StepAnswerEntity.idOf(r.deploymentId(), r.step())));
    }

    /**
     * Records what a step did and its answer, in the inbox's transaction, unless the step got an answer meanwhile
     * (a request asked again and carried out by another replica): then that answer is given again, and this answers
     * false, so that what this attempt did is undone.
     */
    public Uni<Boolean> recordOnce(StepRequest r, StepResult result, Function<StepResult, Uni<Void>> record) {
        return StepAnswerEntity.<StepAnswerEntity>findById(StepAnswerEntity.idOf(r.deploymentId(), r.step()))
                .chain(given -> given == null ? record.apply(result).replaceWith(true)
                        : again(r, given).replaceWith(false));
    }

    /** Publishes the stored answer of a step carried out before once more. In the inbox's transaction. */
    public Uni<Void> again(StepRequest r, StepAnswerEntity given) {
        LOG.infof("step %d of %s asked again: answering %s again", r.step(), r.deploymentId(), given.type);
        return outbox.add(Topics.INSTANCES, r.deploymentId(), given.type, readTree(given.payload));
    }

    /** Publishes a step's answer and remembers it, in the transaction of the step. */
    public Uni<Void> answer(StepRequest r, String type, Object payload) {
        StepAnswerEntity row = new StepAnswerEntity();
        row.id = StepAnswerEntity.idOf(r.deploymentId(), r.step());
        row.deploymentId = r.deploymentId();
        row.step = r.step();
        row.type = type;
        row.payload = JsonText.write(payload);
        row.answeredAt = Instant.now();
        // Published as stored, as an answer given again is: written once (a step of 10,000 instances is megabytes).
        return row.persist().chain(() -> outbox.add(Topics.INSTANCES, r.deploymentId(), type,
                new RawValue(row.payload)));
    }

    private Object readTree(String json) {
        try {
            return mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("a stored step answer is not JSON", e);
        }
    }
}
