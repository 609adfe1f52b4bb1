package dev.stagecraft.inventory.persistence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Many instance rows at once, in the current session, in a number of calls that does not grow with the rows.
 *
 * <p>Why not a loop of {@code uni = uni.chain(() -> row.persist())}: a persist that completes without a round trip
 * to the database (most do: the insert waits for the flush) answers on the caller's stack, so a fold of N of them
 * nests N operators deep. From about 200 rows on, that overflowed the event loop's stack inside Hibernate Reactive,
 * and the overflow was swallowed: the step's Uni never answered, without an error and without a thread waiting in it
 * (a 1,000-instance provisioning step hung that way). {@code persistAll} iterates inside Hibernate Reactive, which is
 * stack-safe; reads and deletes go by id lists, a bounded number of ids per statement.
 */
public final class InstanceRows {
    /** Ids per statement: far below PostgreSQL's 65,535 bind parameters, and a plan that stays cheap. */
    static final int IDS_PER_STATEMENT = 1000;

    private InstanceRows() {
    }

    /** Makes every row persistent in the current session; the inserts happen at the next flush. */
    public static Uni<Void> persistAll(Collection<InstanceEntity> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Object[] entities = rows.toArray();
        return Panache.getSession().chain(session -> session.persistAll(entities));
    }

    /** The rows with these ids, managed by the current session (ids without a row are simply missing). */
    public static Uni<List<InstanceEntity>> findAll(Collection<String> ids) {
        return Multi.createFrom().iterable(chunks(ids))
                .onItem().transformToUniAndConcatenate(chunk -> InstanceEntity.<InstanceEntity>list("id in ?1", chunk))
                .collect().asList()
                .map(lists -> lists.stream().flatMap(List::stream).toList());
    }

    /** Deletes the rows with these ids; answers how many there were. */
    public static Uni<Long> deleteAll(Collection<String> ids) {
        return Multi.createFrom().iterable(chunks(ids))
                .onItem().transformToUniAndConcatenate(chunk -> InstanceEntity.delete("id in ?1", chunk))
                .collect().with(java.util.stream.Collectors.summingLong(Long::longValue));
    }

    /** {@code ids} cut into lists of at most {@link #IDS_PER_STATEMENT}, in their order. */
    static List<List<String>> chunks(Collection<String> ids) {
        List<List<String>> chunks = new ArrayList<>();
        List<String> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += IDS_PER_STATEMENT) {
            chunks.add(all.subList(from, Math.min(all.size(), from + IDS_PER_STATEMENT)));
        }
        return chunks;
    }
}
