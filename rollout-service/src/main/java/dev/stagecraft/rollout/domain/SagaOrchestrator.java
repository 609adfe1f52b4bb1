package dev.stagecraft.rollout.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.stagecraft.contracts.DeploymentRequested;
import dev.stagecraft.contracts.DeploymentStatusChanged;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.platform.outbox.Outbox;
import dev.stagecraft.platform.outbox.OutboxEvent;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.rollout.persistence.SagaDecision;
import dev.stagecraft.rollout.persistence.SagaEntity;
import dev.stagecraft.rollout.persistence.SagaWrite;
import dev.stagecraft.rollout.strategy.AnswerBuffer;
import dev.stagecraft.rollout.strategy.AnswerTiming;
import dev.stagecraft.rollout.strategy.Effect;
import dev.stagecraft.rollout.strategy.Phase;
import dev.stagecraft.rollout.strategy.PhaseDeadline;
import dev.stagecraft.rollout.strategy.Saga;
import dev.stagecraft.rollout.strategy.Sagas;
import dev.stagecraft.rollout.strategy.SagaState;
import dev.stagecraft.rollout.strategy.StepAnswer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Loads a saga, feeds it one fact, and writes what it decided — new state, decision log, outbox
 * records — in the caller's transaction, in one statement ({@link SagaWrite}). The strategy itself stays pure.
 */
@ApplicationScoped
public class SagaOrchestrator {
    private static final Logger LOG = Logger.getLogger(SagaOrchestrator.class);

    private final Outbox outbox;
    private final RolloutConfig config;
    private final RolloutMetrics metrics;

    public SagaOrchestrator(Outbox outbox, RolloutConfig config, RolloutMetrics metrics) {
        this.outbox = outbox;
        this.config = config;
        this.metrics = metrics;
    }

    public Uni<Void> start(DeploymentRequested request) {
        return SagaEntity.<SagaEntity>findById(request.deploymentId()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            Saga saga = Sagas.start(request);
            SagaEntity row = new SagaEntity(); // never persisted by Hibernate: SagaWrite inserts it
            row.deploymentId = request.deploymentId();
            row.strategy = request.strategy().type();
            row.createdAt = Instant.now();
            row.phaseStartedAt = row.createdAt;
            List<Effect> effects = saga.started();
            save(row, saga.state(), Phase.RESOLVING, false, 0);
            Writes writes = new Writes();
            writes.record(saga.state(), "deployment requested", effects, describe(effects));
            return SagaWrite.insert(row, writes.lines, writes.outbox);
        });
    }

    /** Applies one fact to the saga of {@code deploymentId}; facts for unknown sagas are logged and dropped. */
    public Uni<Void> apply(String deploymentId, String fact, Function<Saga, List<Effect>> transition) {
        return change(deploymentId, fact, saga -> {
            List<Decision> decisions = new ArrayList<>();
            decisions.add(Decision.of(fact, transition.apply(saga)));
            AnswerBuffer.drain(saga).forEach(kept -> decisions.add(Decision.ofKept(kept)));
            return decisions;
        });
    }

    /**
     * Offers a step's answer: applied if the saga awaits it, kept with the saga if it came before the saga reached its
     * step, dropped if the saga is past it. Kept answers the saga awaits after this one are applied in the same
     * transaction.
     */
    public Uni<Void> answer(String deploymentId, String fact, StepAnswer answer) {
        return change(deploymentId, fact, saga -> {
            List<AnswerBuffer.Applied> applied = AnswerBuffer.offer(saga, answer);
            List<Decision> decisions = new ArrayList<>();
            decisions.add(Decision.of(fact, applied.get(0)));
            applied.stream().skip(1).forEach(kept -> decisions.add(Decision.ofKept(kept)));
            return decisions;
        });
    }

    private Uni<Void> change(String deploymentId, String fact, Function<Saga, List<Decision>> transition) {
        return detached(deploymentId).chain(entity -> {
            if (entity == null) {
                LOG.warnf("%s for unknown saga %s ignored", fact, deploymentId);
                return Uni.createFrom().voidItem();
            }
            SagaState state = JsonText.read(entity.state, SagaState.class);
            Phase before = state.phase;
            boolean rollingBackBefore = state.rollingBack;
            int stepBefore = state.step;
            boolean askedAgainBefore = state.askedAgain;
            Saga saga = Sagas.of(state);
            List<Decision> decisions = transition.apply(saga);
            if (decisions.stream().noneMatch(Decision::changesState)) {
                return logOnly(entity, fact);
            }
            save(entity, state, before, rollingBackBefore, stepBefore);
            if (state.askedAgain && !askedAgainBefore && state.phase == before && state.step == stepBefore) {
                // Asked again under the same step: the answer gets one more full deadline.
                entity.deadline = deadlineOf(state, Instant.now());
            }
            Writes writes = new Writes();
            for (Decision decision : decisions) {
                writes.record(state, decision.fact(), decision.effects(), decision.decided());
            }
            return SagaWrite.update(entity, writes.lines, writes.outbox);
        });
    }

    /**
     * The saga's row as read, not managed: {@link SagaWrite} writes what changes in it, and a managed entity would be
     * written a second time at the flush.
     */
    private static Uni<SagaEntity> detached(String deploymentId) {
        return Panache.getSession().chain(session -> session.find(SagaEntity.class, deploymentId)
                .invoke(found -> {
                    if (found != null) {
                        session.detach(found);
                    }
                }));
    }

    /** One line of the decision log and what it caused. */
    private record Decision(String fact, List<Effect> effects, String decided, boolean changesState) {
        static Decision of(String fact, List<Effect> effects) {
            return new Decision(fact, effects, effects.isEmpty() ? null : describe(effects), !effects.isEmpty());
        }

        static Decision of(String fact, AnswerBuffer.Applied applied) {
            if (applied.timing() == AnswerTiming.Timing.EARLY) {
                return new Decision(fact, List.of(), "kept: it came before the saga reached it; applied once it does",
                        true);
            }
            return of(fact, applied.effects());
        }

        static Decision ofKept(AnswerBuffer.Applied applied) {
            return of("kept " + applied.answer().describe() + ", now awaited", applied.effects());
        }
    }

    private Uni<Void> logOnly(SagaEntity entity, String fact) {
        return decision(entity.deploymentId, fact, "ignored: not expected in " + entity.phase).persist()
                .replaceWithVoid();
    }

    /** Updates the row; when the phase moved on, times the phase just finished and sets the next deadline. */
    private void save(SagaEntity row, SagaState state, Phase before, boolean rollingBackBefore, int stepBefore) {
        Instant now = Instant.now();
        boolean newPhase = row.phase == null || state.phase != before || state.step != stepBefore
                || state.rollingBack != rollingBackBefore;
        if (row.phase != null && newPhase) {
            metrics.phaseTook(before, rollingBackBefore, Duration.between(row.phaseStartedAt, now));
        }
        if (newPhase) {
            row.phaseStartedAt = now;
            row.deadline = deadlineOf(state, now);
        }
        if (!rollingBackBefore && state.rollingBack) {
            metrics.rollbackStarted(row.strategy, triggerOf(state.reason));
        }
        if (state.phase == Phase.DONE && !Phase.DONE.name().equals(row.phase)) {
            metrics.deploymentEnded(row.strategy, state.status);
        }
        metrics.newPoolWeight(state);
        row.phase = state.phase.name();
        row.status = state.status;
        row.state = JsonText.write(state);
        row.updatedAt = now;
    }

    /** A paused saga waits for a person, with no deadline; analyses and waits bring their own. */
    private Instant deadlineOf(SagaState state, Instant now) {
        if (state.phase == Phase.DONE || state.phase == Phase.PAUSED) {
            return null;
        }
        return now.plus(state.phaseDeadlineMs != null ? Duration.ofMillis(state.phaseDeadlineMs)
                : PhaseDeadline.of(config.deadline().of(state.phase), PhaseDeadline.instancesOf(state),
                        config.deadline().perInstance()));
    }

    /** The decision log lines and outbox rows of one fact, in order, for {@link SagaWrite}'s one statement. */
    private final class Writes {
        final List<SagaWrite.Line> lines = new ArrayList<>();
        final List<OutboxEvent> outbox = new ArrayList<>();

        void record(SagaState state, String fact, List<Effect> effects, String decided) {
            lines.add(new SagaWrite.Line(Instant.now(), fact,
                    decided != null ? decided : "ignored: not expected in " + state.phase));
            effects.forEach(effect -> outbox.add(rowOf(state, effect)));
        }
    }

    private OutboxEvent rowOf(SagaState s, Effect effect) {
        if (effect instanceof Effect.Command command) {
            return outbox.row(Topics.ROLLOUT_STEPS, s.deploymentId, command.type(), command.request());
        }
        if (effect instanceof Effect.Analysis analysis) {
            return outbox.row(Topics.ROLLOUT_STEPS, s.deploymentId, EventTypes.ANALYSIS_REQUESTED, analysis.request());
        }
        Effect.Lifecycle lifecycle = (Effect.Lifecycle) effect;
        return outbox.row(Topics.DEPLOYMENTS, s.deploymentId, lifecycle.type(), new DeploymentStatusChanged(
                s.deploymentId, s.service, s.environment, s.version, lifecycle.status(), lifecycle.message(),
                Instant.now()));
    }

    private static SagaDecision decision(String deploymentId, String fact, String decided) {
        SagaDecision d = new SagaDecision();
        d.deploymentId = deploymentId;
        d.at = Instant.now();
        d.fact = fact;
        d.decision = decided;
        return d;
    }

    private static String describe(List<Effect> effects) {
        return effects.stream().map(SagaOrchestrator::describe).collect(Collectors.joining("; "));
    }

    private static String describe(Effect e) {
        if (e instanceof Effect.Command c) {
            return "request " + shortType(c.type()) + " step " + c.request().step();
        }
        if (e instanceof Effect.Analysis a) {
            return "request analysis step " + a.request().step() + " (" + a.request().windowMs() + " ms window)";
        }
        Effect.Lifecycle l = (Effect.Lifecycle) e;
        return shortType(l.type()) + ": " + l.message();
    }

    private static String shortType(String type) {
        return type.substring(type.lastIndexOf('.', type.lastIndexOf('.') - 1) + 1);
    }

    private static String triggerOf(String reason) {
        if (reason == null) {
            return "unknown";
        }
        if (reason.startsWith("rollback requested") || reason.startsWith("abort requested")) {
            return "operator";
        }
        if (reason.contains("deadline") || reason.contains("no verdict in time")) {
            return "deadline";
        }
        if (reason.contains("analysis")) {
            return "analysis";
        }
        return reason.startsWith("verdict") ? "verdict" : "instance-failure";
    }
}
