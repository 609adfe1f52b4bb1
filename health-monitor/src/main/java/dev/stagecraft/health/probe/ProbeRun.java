package dev.stagecraft.health.probe;

import java.time.Duration;

import dev.stagecraft.contracts.ProbeMeasurement;

/** The attempts of one probe so far, and what they amount to. Used by one probe's chain of attempts at a time. */
final class ProbeRun {
    private final String instanceId;
    private final String address;
    private final ProbeKind kind;
    private final long startedAt = System.nanoTime();
    private final long deadlineAt;
    private int attempts;
    private int successesInARow;
    private Integer lastStatus;
    private String lastError;

    ProbeRun(String instanceId, String address, ProbeKind kind, Duration deadline) {
        this.instanceId = instanceId;
        this.address = address;
        this.kind = kind;
        this.deadlineAt = startedAt + deadline.toNanos();
    }

    void answered(int status) {
        attempts++;
        lastStatus = status;
        if (status >= 200 && status < 300) {
            successesInARow++;
            lastError = null;
        } else {
            successesInARow = 0;
            lastError = "HTTP " + status;
        }
    }

    void noAnswer(String error) {
        attempts++;
        lastStatus = null;
        successesInARow = 0;
        lastError = error;
    }

    boolean passed(int requiredSuccesses) {
        return successesInARow >= requiredSuccesses;
    }

    /** Whether another attempt, after the given pause, would still start before the deadline. */
    boolean hasTimeFor(Duration pause) {
        return System.nanoTime() + pause.toNanos() < deadlineAt;
    }

    ProbeMeasurement measurement(boolean ok) {
        long elapsedMs = Duration.ofNanos(System.nanoTime() - startedAt).toMillis();
        return new ProbeMeasurement(instanceId, address, kind.label(), ok, attempts, lastStatus, elapsedMs,
                ok ? null : lastError);
    }
}
