package dev.stagecraft.platform.persistence;

/** Recognises PostgreSQL's unique_violation (SQLSTATE 23505) however deep the reactive stack wrapped it. */
public final class UniqueViolation {
    public static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private UniqueViolation() {
    }
}
