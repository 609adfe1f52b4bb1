package dev.stagecraft.rollout.strategy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stagecraft.contracts.ReleaseSpec;

/**
 * Everything a rolling saga remembers between events, stored whole as JSON. Plain data: the
 * rules that change it live in {@link RollingSaga}.
 */
public class SagaState {
    public String deploymentId;
    public String service;
    public String environment;
    public String version;
    public ReleaseSpec target;
    public String strategyType;
    public String maxUnavailable;

    /** What each instance ran before the deployment touched it: what a rollback restores. */
    public Map<String, ReleaseSpec> previous = new LinkedHashMap<>();
    /** Forward plan, or the restore plan once rolling back. */
    public List<List<String>> batches = new ArrayList<>();
    public int batchIndex;
    /** Forward batches whose update was requested, in order: what a rollback must undo. */
    public List<List<String>> touched = new ArrayList<>();
    /** Instances this deployment created in an empty fleet. */
    public List<String> provisioned = new ArrayList<>();

    public Phase phase = Phase.RESOLVING;
    public boolean rollingBack;
    /** The status a rollback ends in: ROLLED_BACK, or ABORTED for an operator's abort. */
    public String rollbackEndsAs;
    /** The user-facing status. */
    public String status = "IN_PROGRESS";
    public String reason;
    /** Numbers every request; an answer quoting another step is stale. */
    public int step;
    /** The request awaiting an answer, re-sent if its deadline passes while rolling back. */
    public Effect.Command pending;
    public int resends;
}
