package dev.stagecraft.platform.messaging;

import org.hibernate.JDBCException;

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
            // Hibernate wraps the driver's error (DataException, ConstraintViolationException) and keeps its SQLSTATE.
            String state = t instanceof JDBCException jdbc ? jdbc.getSQLState()
                    : t instanceof PgException pg ? pg.getSqlState() : null;
            if (state != null) {
                return refusedData(state);
            }
        }
        return false;
    }

    private static boolean refusedData(String sqlState) {
        return sqlState.startsWith("22") || (sqlState.startsWith("23") && !sqlState.equals("23505"));
    }

    private HandlingFailures() {
    }
}
