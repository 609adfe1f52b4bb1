package dev.stagecraft.release.domain;

/** One check a deployment request must pass, evaluated: the deployment checklist made explicit. */
public record Gate(String name, boolean passed, String reason) {
    public static Gate pass(String name, String reason) {
        return new Gate(name, true, reason);
    }

    public static Gate fail(String name, String reason) {
        return new Gate(name, false, reason);
    }
}
