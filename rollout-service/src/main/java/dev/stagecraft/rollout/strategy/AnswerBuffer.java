package dev.stagecraft.rollout.strategy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Feeds step answers to a saga so that none is lost to the order it arrives in: an answer the saga awaits is
 * applied, an early one is kept in the saga's state, a stale one is dropped; and whenever the saga has moved, the
 * answers it kept that it now awaits are applied in turn. Pure, like the sagas.
 */
public final class AnswerBuffer {
    /** Early answers one saga keeps at most: far more than one step can produce; a bound against a flood. */
    static final int MAX_KEPT = 32;

    /** What became of an answer offered to a saga. */
    public record Applied(StepAnswer answer, AnswerTiming.Timing timing, List<Effect> effects) {
    }

    /** Offers one arriving answer; answers what became of it and of every kept answer applied after it. */
    public static List<Applied> offer(Saga saga, StepAnswer answer) {
        SagaState s = saga.state();
        AnswerTiming.Timing timing = AnswerTiming.of(s, answer.type(), answer.step());
        List<Applied> applied = new ArrayList<>();
        switch (timing) {
            case AWAITED -> {
                applied.add(new Applied(answer, timing, answer.applyTo(saga)));
                applied.addAll(drain(saga));
            }
            case EARLY -> {
                keep(s, answer);
                applied.add(new Applied(answer, timing, List.of()));
            }
            case STALE -> applied.add(new Applied(answer, timing, List.of()));
        }
        return applied;
    }

    /**
     * Applies the kept answers the saga now awaits, one after another, and forgets those it has gone past. Called
     * after every change of the saga, whatever caused it.
     */
    public static List<Applied> drain(Saga saga) {
        SagaState s = saga.state();
        List<Applied> applied = new ArrayList<>();
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Iterator<StepAnswer> it = s.earlyAnswers.iterator(); it.hasNext();) {
                StepAnswer kept = it.next();
                AnswerTiming.Timing timing = AnswerTiming.of(s, kept.type(), kept.step());
                if (timing == AnswerTiming.Timing.STALE) {
                    it.remove();
                } else if (timing == AnswerTiming.Timing.AWAITED) {
                    it.remove();
                    applied.add(new Applied(kept, timing, kept.applyTo(saga)));
                    moved = true;
                    break;
                }
            }
        }
        return applied;
    }

    private static void keep(SagaState s, StepAnswer answer) {
        boolean duplicate = s.earlyAnswers.stream()
                .anyMatch(k -> k.step() == answer.step() && k.type().equals(answer.type()));
        if (duplicate) {
            return; // the same step's same answer, asked again or redelivered: one copy decides
        }
        if (s.earlyAnswers.size() >= MAX_KEPT) {
            s.earlyAnswers.remove(0);
        }
        s.earlyAnswers.add(answer);
    }

    private AnswerBuffer() {
    }
}
