package dev.stagecraft.health.probe;

import java.time.Duration;
import java.util.function.LongSupplier;

import dev.stagecraft.contracts.ProbeMeasurement;

/**
 * The attempts of one probe so far, and what they amount to. Used by one probe's chain of attempts at a time.
 * <p>
 * Time the monitor itself was frozen (SIGSTOP, a stalled VM, a long pause, a starved CPU) is not the instance's
 * time: an attempt or a pause that took far longer than it can have taken while the monitor ran gives the lost time
 * back to the deadline, and a timeout it caused is not held against the instance. Otherwise a monitor frozen for
 * longer than the deadline would wake up, find the deadline passed and fail a healthy instance. The credit is
 * capped at one deadline, so a monitor that keeps freezing still ends every probe.
 */
final class ProbeRun {
    /** How much later than planned a timer may fire on a busy machine before the delay counts as a freeze. */
    static final Duration FREEZE_SLACK = Duration.ofSeconds(1);

    private final String instanceId;
    private final String address;
    private final ProbeKind kind;
    private final LongSupplier clock;
    private final long startedAt;
    private final long deadline;
    private long deadlineAt;
    private long credited;
    private int attempts;
    private int successesInARow;
    private Integer lastStatus;
    private String lastError;

    ProbeRun(String instanceId, String address, ProbeKind kind, Duration deadline) {
        this(instanceId, address, kind, deadline, System::nanoTime);
    }

    ProbeRun(String instanceId, String address, ProbeKind kind, Duration deadline, LongSupplier clock) {
        this.instanceId = instanceId;
        this.address = address;
        this.kind = kind;
        this.clock = clock;
        this.startedAt = clock.getAsLong();
        this.deadline = deadline.toNanos();
        this.deadlineAt = startedAt + this.deadline;
    }

    long now() {
        return clock.getAsLong();
    }

    /**
     * An attempt sent at {@code sentAt} ended without an answer after its {@code timeout}. If it ended much later
     * than the timeout, the monitor was frozen: the attempt is counted, but not as the instance's failure, and the
     * frozen time goes back to the deadline.
     */
    void noAnswer(String error, long sentAt, Duration timeout) {
        long frozen = overrun(sentAt, timeout);
        if (frozen == 0) {
            noAnswer(error);
            return;
        }
        attempts++;
        credit(frozen);
        if (lastError == null && lastStatus == null) {
            lastError = "not judged: the monitor itself was frozen for " + Duration.ofNanos(frozen).toMillis() + "ms";
        }
    }

    /** The pause between two attempts, planned as {@code interval}, began at {@code pausedAt} and is over now. */
    void pausedSince(long pausedAt, Duration interval) {
        credit(overrun(pausedAt, interval));
    }

    /** How much longer than {@code planned} (beyond the slack) the time since {@code since} was; 0 if not. */
    private long overrun(long since, Duration planned) {
        long late = now() - since - planned.toNanos();
        return late > FREEZE_SLACK.toNanos() ? late : 0;
    }

    private void credit(long frozen) {
        long granted = Math.min(frozen, deadline - credited);
        credited += granted;
        deadlineAt += granted;
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
        return now() + pause.toNanos() < deadlineAt;
    }

    ProbeMeasurement measurement(boolean ok) {
        long elapsedMs = Duration.ofNanos(now() - startedAt).toMillis();
        return new ProbeMeasurement(instanceId, address, kind.label(), ok, attempts, lastStatus, elapsedMs,
                ok ? null : lastError);
    }
}
