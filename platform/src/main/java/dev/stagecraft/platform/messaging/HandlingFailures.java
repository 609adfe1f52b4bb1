package dev.stagecraft.platform.messaging;

import io.vertx.pgclient.PgException;

/**
 * Tells a failure that retrying cannot mend from one that time will: a record's data that the database refuses
 * (SQLSTATE class 22, a value too long, or 23, a constraint other than a unique key) fails the same way every time,
 * while an unreachable database or broker, a lost optimistic lock or a unique key taken by a concurrent insert
 * (retried, the inbox sees the winner) pass. Anything not known to be permanent counts as transient: a valid
 * event must never be dead-lettered because a server was away.
 */
public final class HandlingFailures {

    public static boolean isPermanent(Throwable failure) {
        if (failure instanceof PoisonRecordException) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonRecordException) {
                return true;
            }
            if (t instanceof PgException pg && pg.getSqlState() != null) {
                String state = pg.getSqlState();
                return state.startsWith("22") || (state.startsWith("23") && !state.equals("23505"));
            }
        }
        return false;
    }

    private HandlingFailures() {
    }
}
