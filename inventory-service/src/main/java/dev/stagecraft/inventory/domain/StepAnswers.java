package dev.stagecraft.inventory.domain;

import java.time.Instant;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.inventory.persistence.StepAnswerEntity;
import dev.stagecraft.platform.outbox.Outbox;
import dev.stagecraft.platform.persistence.JsonText;
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
                    LOG.infof("step %d of %s asked again: answering %s again", r.step(), r.deploymentId(), given.type);
                    return outbox.add(Topics.INSTANCES, r.deploymentId(), given.type, readTree(given.payload));
                });
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
        return row.persist().chain(() -> outbox.add(Topics.INSTANCES, r.deploymentId(), type, payload));
    }

    private Object readTree(String json) {
        try {
            return mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("a stored step answer is not JSON", e);
        }
    }
}
