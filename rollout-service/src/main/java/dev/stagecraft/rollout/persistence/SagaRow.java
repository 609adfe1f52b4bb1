package dev.stagecraft.rollout.persistence;

import java.time.Instant;

/**
 * A saga row's columns as a fact leaves them, not managed by Hibernate: {@link SagaWrite} writes them in the same
 * statement as the decision log and the outbox rows, where a changed entity would cost an update of its own at the
 * flush.
 */
public final class SagaRow {
    public String deploymentId;
    public String strategy;
    public String status;
    public String phase;
    public String state;
    public Instant deadline;
    public Instant phaseStartedAt;
    public Instant createdAt;
    public Instant updatedAt;
    /** The version read: the write applies only if the row still has it. */
    public long rowVersion;

    /** The columns of a saga as read. */
    public static SagaRow of(SagaEntity read) {
        SagaRow row = new SagaRow();
        row.deploymentId = read.deploymentId;
        row.strategy = read.strategy;
        row.status = read.status;
        row.phase = read.phase;
        row.state = read.state;
        row.deadline = read.deadline;
        row.phaseStartedAt = read.phaseStartedAt;
        row.createdAt = read.createdAt;
        row.updatedAt = read.updatedAt;
        row.rowVersion = read.rowVersion;
        return row;
    }
}
