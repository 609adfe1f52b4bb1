package dev.stagecraft.contracts;

import java.time.Instant;
import java.util.List;

/**
 * What release-service did with a command from {@link Topics#COMMANDS}. Keyed by the deployment id
 * when there is one (so it sits in order with that deployment's lifecycle), else by the idempotency
 * key. A command repeated with the same idempotency key is not applied again; its first outcome is
 * published again instead.
 *
 * @param commandId the command's ce_id
 * @param idempotencyKey the key the command was deduplicated by (its ce_idempotencykey, else its ce_id)
 * @param commandType the command's ce_type, or null when the record was not a CloudEvent
 * @param deploymentId the deployment a request-deployment or approve command concerns, if any
 * @param detail in words: what was done, or why nothing was
 * @param errors every problem found, as field and message
 */
public record CommandOutcome(String commandId, String idempotencyKey, String commandType, boolean accepted,
        String deploymentId, String detail, List<Error> errors, Instant at) {
    public CommandOutcome {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public record Error(String field, String message) {
    }
}
