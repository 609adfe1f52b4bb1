package dev.stagecraft.release.domain;

/**
 * One check a deployment request must pass, evaluated: the deployment checklist made explicit.
 * {@code pending} marks a gate that neither passed nor failed yet (an approval not given): it does
 * not refuse the request, it makes it wait.
 */
public record Gate(String name, boolean passed, String reason, boolean pending) {
    public static final String RELEASE = "release";
    public static final String ENVIRONMENT = "environment";
    public static final String PROMOTION = "promotion";
    public static final String MIGRATIONS = "migrations";
    public static final String WINDOW = "window";
    public static final String APPROVAL = "approval";
    public static final String CONCURRENCY = "concurrency";

    public static Gate pass(String name, String reason) {
        return new Gate(name, true, reason, false);
    }

    public static Gate fail(String name, String reason) {
        return new Gate(name, false, reason, false);
    }

    public static Gate pending(String name, String reason) {
        return new Gate(name, false, reason, true);
    }

    /** Failed for good: the request is refused. */
    public boolean refuses() {
        return !passed && !pending;
    }
}
