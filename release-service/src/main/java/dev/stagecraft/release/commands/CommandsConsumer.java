package dev.stagecraft.release.commands;

import java.util.ArrayList;
import java.util.List;

import dev.stagecraft.contracts.CommandOutcome;
import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.security.Grants;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Commands from CI systems on {@code stagecraft.commands}: read the envelope, authenticate the token,
 * apply the command once per idempotency key, and answer every record with a {@code command.accepted}
 * or {@code command.rejected} on {@code stagecraft.deployments}. A record that is not a command, or not
 * an authorised one, is answered too and then acknowledged, so it never blocks its partition; only a
 * record that cannot even be answered (the database is gone) reaches the dead-letter topic.
 */
@ApplicationScoped
public class CommandsConsumer {
    private static final Logger LOG = Logger.getLogger(CommandsConsumer.class);

    private final CommandAuthenticator authenticator;
    private final CommandHandlers handlers;
    private final CommandOutcomes outcomes;
    private final MeterRegistry metrics;

    public CommandsConsumer(CommandAuthenticator authenticator, CommandHandlers handlers, CommandOutcomes outcomes,
            MeterRegistry metrics) {
        this.authenticator = authenticator;
        this.handlers = handlers;
        this.outcomes = outcomes;
        this.metrics = metrics;
    }

    @Incoming("ci-commands")
    public Uni<Void> onCommand(ConsumerRecord<String, String> record) {
        return Uni.createFrom().deferred(() -> answer(CommandEnvelopes.read(record)))
                .invoke(this::count)
                .onFailure().invoke(t -> LOG.errorf(t, "command at %s-%d@%d could not even be answered;"
                        + " dead-lettering it", record.topic(), record.partition(), record.offset()))
                .replaceWithVoid();
    }

    private Uni<CommandOutcome> answer(CommandEnvelope command) {
        List<CommandOutcome.Error> problems = new ArrayList<>(command.problems());
        CommandToken who = null;
        ApiProblem unauthenticated = null;
        try {
            who = authenticator.authenticate(command.authorization());
        } catch (ApiProblem e) {
            unauthenticated = e;
            problems.addAll(CommandProblems.errorsOf(e));
        }
        if (!problems.isEmpty()) {
            // Nothing is recorded under the key: nobody proven may bind it, and a fixed command must work.
            String detail = command.isReadable() ? CommandProblems.detailOf(unauthenticated)
                    : CommandProblems.summary("malformed command", problems);
            LOG.infof("command at %s rejected: %s", command.position(), detail);
            // Nor is its data read, so no deployment keys the answer: the record key or position does.
            return outcomes.refuse(command, null, detail, CommandProblems.clipped(problems));
        }
        CommandToken token = who;
        Grants caller = who.grants();
        return outcomes.once(command, token, handlers.deploymentIdOf(command), () -> handlers.handle(command, caller))
                .invoke(outcome -> LOG.infof("command %s (%s) at %s by %s %s: %s", command.commandId(),
                        command.type(), command.position(), caller.name(), outcome.accepted() ? "accepted" : "rejected",
                        outcome.detail()));
    }

    private void count(CommandOutcome outcome) {
        String type = outcome.commandType() != null && CommandHandlers.TYPES.contains(outcome.commandType())
                ? outcome.commandType().substring(outcome.commandType().lastIndexOf('.') + 1) : "unknown";
        metrics.counter("stagecraft_commands_total", "type", type, "outcome",
                outcome.accepted() ? "accepted" : "rejected").increment();
    }
}
