package dev.stagecraft.rollout.strategy;

import java.util.List;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.StepRequest;

/** What every strategy's saga does the same way: numbering requests, announcing progress, failing. */
abstract class SagaBase implements Saga {
    /** How often one request that goes unanswered while rolling back is re-sent before the saga gives up. */
    static final int MAX_RESENDS = 2;

    protected final SagaState s;

    SagaBase(SagaState state) {
        this.s = state;
    }

    @Override
    public SagaState state() {
        return s;
    }

    @Override
    public boolean isDone() {
        return s.phase == Phase.DONE;
    }

    /**
     * Whether {@code changed} answers the request the saga waits for: its step, and the answer type that goes with
     * the phase. Anything else is stale or out of place and changes nothing.
     */
    protected boolean awaited(String type, InstancesChanged changed) {
        return AnswerTiming.of(s, type, changed.step()) == AnswerTiming.Timing.AWAITED;
    }

    /** The fleet is not defined: nothing was changed, and the user is told how to define it. */
    protected List<Effect> noFleet() {
        return fail("no fleet of " + s.service + " exists in " + s.environment + "; define one with PUT /api/v1/fleets/"
                + s.service + "/" + s.environment);
    }

    protected List<Effect> fail(String reason) {
        s.phase = Phase.DONE;
        s.status = "FAILED";
        s.reason = reason;
        s.pending = null;
        return List.of(lifecycle(EventTypes.DEPLOYMENT_FAILED, "FAILED", reason));
    }

    /** Sends a request and makes it the one awaited; its re-send budget starts afresh. */
    protected Effect send(String type, StepRequest request) {
        Effect.Command command = new Effect.Command(type, request);
        s.pending = command;
        s.pendingAnalysis = null;
        s.resends = 0;
        s.askedAgain = false;
        return command;
    }

    /**
     * The first missed deadline of a step: the request it waits on, once more under the same step, for the answer
     * may have been given and lost, or still be coming. The receivers answer a step they already carried out again
     * with its outcome rather than doing it twice (health-monitor repeats an analysis' verdict, or lets a running one
     * finish). Empty when it was asked again already, or when the saga waits on something no request of its own
     * answers (a wait, a pause).
     */
    protected List<Effect> askAgain(String what) {
        Effect awaited = awaitedRequest();
        if (s.askedAgain || awaited == null) {
            return List.of();
        }
        s.askedAgain = true;
        return List.of(progress(what + " missed its deadline; asking again"), awaited);
    }

    /** What the current step waits on, if the saga asked for it: an inventory step, or an analysis. */
    private Effect awaitedRequest() {
        if (s.phase == Phase.ANALYSING) {
            return s.pendingAnalysis != null && s.pendingAnalysis.step() == s.step
                    ? new Effect.Analysis(s.pendingAnalysis) : null;
        }
        return s.pending != null && s.pending.request().step() == s.step ? s.pending : null;
    }

    /** The awaited request once more under a new step number, or empty when its re-send budget is spent. */
    protected List<Effect> resendPending(String what) {
        if (s.pending == null || s.resends >= MAX_RESENDS) {
            return List.of();
        }
        int resends = s.resends + 1;
        Effect.Command again = s.pending;
        List<Effect> effects = List.of(progress(what + " missed its deadline; re-sending it"),
                send(again.type(), again.request().renumbered(nextStep())));
        s.resends = resends;
        s.askedAgain = true; // a re-send under a new number is already the second chance
        return effects;
    }

    protected int nextStep() {
        return ++s.step;
    }

    protected Effect progress(String message) {
        return lifecycle(EventTypes.DEPLOYMENT_PROGRESSED, s.status, message);
    }

    protected static Effect lifecycle(String type, String status, String message) {
        return new Effect.Lifecycle(type, status, message);
    }

    protected static String failures(InstancesChanged changed) {
        return changed.outcomes().stream().filter(o -> !o.ok()).map(o -> o.instanceId() + ": " + o.error()).toList()
                .toString();
    }
}
