package dev.stagecraft.release.commands;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.stagecraft.contracts.CommandHeaders;
import dev.stagecraft.contracts.CommandOutcome;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.outbox.Outbox;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.platform.security.Grants;
import dev.stagecraft.release.persistence.CommandOutcomeEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Applies commands once per idempotency key and publishes what became of each, through the outbox on
 * {@code stagecraft.deployments}.
 * <ul>
 * <li>The change, its outcome and the {@code command_outcome} row commit in one transaction.</li>
 * <li>A refusal ({@link ApiProblem}) rolls that transaction back, and the rejection and its row are
 * written in a fresh one: PostgreSQL aborts a transaction whose statement failed.</li>
 * <li>A key already recorded is not applied again: its outcome is published again, for the same user
 * and type only, so that nobody can read or pre-empt someone else's answer by guessing a key. This is checked
 * before the token's {@code jti}, so a CI job re-sending the same record (same token) gets its first answer.</li>
 * <li>Otherwise the token's {@code jti} is claimed in the same transaction: a token already used for another
 * command is rejected "unauthorised: token already used", and that rejection is not recorded under the key.</li>
 * <li>Anything else (the database away, a concurrent twin of the same key) is retried with back-off.
 * If it still fails, an "internal error" rejection is published but not recorded, so that sending the
 * command again with the same key can still succeed. Only when even that cannot be written does the
 * failure reach the channel's dead-letter topic.</li>
 * </ul>
 */
@ApplicationScoped
public class CommandOutcomes {
    private static final Logger LOG = Logger.getLogger(CommandOutcomes.class);

    private final Outbox outbox;
    private final UsedTokens usedTokens;
    private final Clock clock;
    private final int maxRetries;

    public CommandOutcomes(Outbox outbox, UsedTokens usedTokens, Clock clock,
            @ConfigProperty(name = "stagecraft.consumer.max-retries", defaultValue = "5") int maxRetries) {
        this.outbox = outbox;
        this.usedTokens = usedTokens;
        this.clock = clock;
        this.maxRetries = maxRetries;
    }

    /**
     * Applies an authenticated, readable command once. {@code deploymentId} is the deployment its data
     * names, if any, so that a rejection is keyed by it too.
     */
    public Uni<CommandOutcome> once(CommandEnvelope command, CommandToken token, String deploymentId,
            Supplier<Uni<CommandHandlers.Accepted>> action) {
        Grants who = token.grants();
        return retried(inTransaction(() -> recorded(command).chain(seen -> seen != null ? again(seen, command, who)
                : usedTokens.claim(token).chain(action::get)
                        .chain(done -> remember(command, who, accepted(command, done))))))
                .onFailure(UsedTokens.AlreadyUsed.class).recoverWithUni(reused -> reusedToken(command, who,
                        deploymentId, (ApiProblem) reused))
                .onFailure(ApiProblem.class).recoverWithUni(refusal -> refused(command, token, deploymentId,
                        (ApiProblem) refusal))
                .onFailure(t -> !(t instanceof ApiProblem)).recoverWithUni(failure -> failed(command, deploymentId,
                        failure));
    }

    /**
     * The token acted before. If that was this very command (a twin of it, on another replica, committed in the
     * meantime) its answer is given again; otherwise the refusal is answered and not recorded under the key.
     */
    private Uni<CommandOutcome> reusedToken(CommandEnvelope command, Grants who, String deploymentId, ApiProblem reused) {
        return retried(inTransaction(() -> recorded(command))).chain(seen -> seen != null
                ? retried(inTransaction(() -> again(seen, command, who)))
                : refuse(command, deploymentId, CommandProblems.detailOf(reused), CommandProblems.errorsOf(reused)));
    }

    /** The change was refused: its transaction is gone, so the rejection and its row get a fresh one. */
    private Uni<CommandOutcome> refused(CommandEnvelope command, CommandToken token, String deploymentId,
            ApiProblem refusal) {
        Grants who = token.grants();
        // The token was used for this command even though it was refused: it must not act again.
        return retried(inTransaction(() -> recorded(command).chain(seen -> seen != null ? again(seen, command, who)
                : usedTokens.claimQuietly(token).chain(() -> remember(command, who, rejected(command, deploymentId,
                        CommandProblems.detailOf(refusal), CommandProblems.errorsOf(refusal)))))));
    }

    private Uni<CommandOutcome> failed(CommandEnvelope command, String deploymentId, Throwable failure) {
        LOG.errorf(failure, "command %s (%s) at %s failed after %d retries; answering it as an internal error",
                command.commandId(), command.type(), command.position(), maxRetries);
        return refuse(command, deploymentId, "internal error: the command could not be applied and was not recorded"
                + " under its idempotency key; send it again", List.of(new CommandOutcome.Error("command",
                        CommandProblems.clip(failure.toString(), CommandProblems.MAX_TEXT))));
    }

    /** Answers a command without recording its key: one that is unreadable, unauthenticated, or failed. */
    public Uni<CommandOutcome> refuse(CommandEnvelope command, String deploymentId, String detail,
            List<CommandOutcome.Error> errors) {
        CommandOutcome outcome = rejected(command, deploymentId, detail, errors);
        return retried(inTransaction(() -> publish(outcome, command))).replaceWith(outcome);
    }

    /** A fresh transaction at every subscription, so that a retry starts over. */
    private static <T> Uni<T> inTransaction(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> Panache.withTransaction(work));
    }

    private static Uni<CommandOutcomeEntity> recorded(CommandEnvelope command) {
        return CommandOutcomeEntity.findById(command.idempotencyKey());
    }

    private Uni<CommandOutcome> again(CommandOutcomeEntity seen, CommandEnvelope command, Grants who) {
        if (seen.actor.equals(who.name()) && seen.type.equals(command.type())) {
            CommandOutcome first = JsonText.read(seen.outcome, CommandOutcome.class);
            LOG.infof("command %s at %s repeats idempotency key %s: answering with its first outcome",
                    command.commandId(), command.position(), CommandEnvelopes.shorten(seen.idempotencyKey));
            return publish(first, command).replaceWith(first);
        }
        CommandOutcome clash = rejected(command, null, "conflict: the idempotency key names another command",
                List.of(new CommandOutcome.Error(CommandHeaders.IDEMPOTENCY_KEY, "already names a " + seen.type
                        + " command" + (seen.actor.equals(who.name()) ? "" : " of another user")
                        + ": use a key of your own for each command")));
        return publish(clash, command).replaceWith(clash);
    }

    private Uni<CommandOutcome> remember(CommandEnvelope command, Grants who, CommandOutcome outcome) {
        CommandOutcomeEntity row = new CommandOutcomeEntity();
        row.idempotencyKey = command.idempotencyKey();
        row.commandId = command.commandId();
        row.type = command.type();
        row.actor = who.name();
        row.outcome = JsonText.write(outcome);
        row.createdAt = outcome.at();
        return row.persist().chain(() -> publish(outcome, command)).replaceWith(outcome);
    }

    private Uni<Void> publish(CommandOutcome outcome, CommandEnvelope command) {
        String type = outcome.accepted() ? EventTypes.COMMAND_ACCEPTED : EventTypes.COMMAND_REJECTED;
        return outbox.add(Topics.DEPLOYMENTS, keyOf(outcome, command), type, outcome);
    }

    /**
     * The deployment's id keeps the outcome in order with that deployment's lifecycle; without one the
     * idempotency key, then the record's own key, then its position (for a record that has nothing).
     */
    static String keyOf(CommandOutcome outcome, CommandEnvelope command) {
        for (String key : new String[] { outcome.deploymentId(), outcome.idempotencyKey(), command.recordKey() }) {
            if (CommandEnvelopes.isUsableId(key)) {
                return key;
            }
        }
        return command.position();
    }

    private CommandOutcome accepted(CommandEnvelope command, CommandHandlers.Accepted done) {
        return new CommandOutcome(command.commandId(), command.idempotencyKey(), command.type(), true,
                done.deploymentId(), done.detail(), List.of(), clock.instant());
    }

    private CommandOutcome rejected(CommandEnvelope command, String deploymentId, String detail,
            List<CommandOutcome.Error> errors) {
        return new CommandOutcome(command.commandId(), command.idempotencyKey(), command.type(), false, deploymentId,
                detail, errors, clock.instant());
    }

    /** Transient failures only: a refusal is an answer, not a failure to retry. */
    private <T> Uni<T> retried(Uni<T> work) {
        return work.onFailure(t -> !(t instanceof ApiProblem)).retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(3)).atMost(maxRetries);
    }
}
