package dev.stagecraft.router;

import java.util.Locale;

/** Told what became of each proxied request: inventory-service counts them in Micrometer, a router process itself. */
public interface RequestOutcomes {
    /** The instance label of a request that found no instance in service. */
    String NO_INSTANCE = "none";

    void count(FleetKey fleet, String instanceId, Outcome outcome);

    /** A request's last outcome, with the time from its arrival to its end; by default only counted. */
    default void count(FleetKey fleet, String instanceId, Outcome outcome, long elapsedNanos) {
        count(fleet, instanceId, outcome);
    }

    enum Outcome {
        /** The instance answered (with whatever status it chose) and the answer reached the client. */
        ANSWERED,
        /** The instance did not accept the connection; nothing was sent, so another instance was tried. */
        UNREACHABLE,
        /** The request was sent but no complete answer came back (502, or 504 on timeout); never retried. */
        FAILED,
        /** No instance of the fleet was in service: 503. */
        UNAVAILABLE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
