package dev.stagecraft.platform.messaging;

import io.smallrye.mutiny.Uni;

/**
 * A handler whose slow part (starting processes, draining traffic) runs before the inbox transaction opens, so that
 * no database transaction, nor a pooled connection, is held across it. {@link IdempotentConsumer} first looks the
 * event up in the inbox (applied already: skipped, nothing prepared), then prepares, then applies what was prepared
 * in the inbox transaction; a transient failure of that transaction retries only the apply, never the slow part.
 *
 * @param <T> what the slow part found or did, for the transaction to record
 */
public interface StagedHandler<T> {

    /** Outside any transaction: may read in short sessions of its own and change the world. */
    Uni<T> prepare(InboundEvent event);

    /**
     * Inside the inbox transaction: records what {@link #prepare} did, with the outbox rows it causes. Answers
     * whether it kept what was prepared; if not (the work had been recorded meanwhile under another event id), it is
     * discarded once the transaction has committed.
     */
    Uni<Boolean> apply(InboundEvent event, T prepared);

    /**
     * What was prepared will not be recorded: the event turned out applied already (a concurrent delivery won),
     * {@link #apply} did not keep it, or recording it failed for good (the record goes to the dead-letter topic).
     * Undo what can be undone. Outside any transaction.
     */
    default Uni<Void> discard(T prepared) {
        return Uni.createFrom().voidItem();
    }
}
