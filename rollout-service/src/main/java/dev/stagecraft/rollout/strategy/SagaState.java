package dev.stagecraft.rollout.strategy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import dev.stagecraft.contracts.AnalysisRequest;
import dev.stagecraft.contracts.DeploymentRequested;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StrategySpec;

/**
 * Everything a saga remembers between events, stored whole as JSON. Plain data: the rules that change
 * it live in {@link RollingSaga} and {@link PoolSaga}.
 */
public class SagaState {
    public String deploymentId;
    public String service;
    public String environment;
    public String version;
    public ReleaseSpec target;
    public String strategyType;
    public String maxUnavailable;
    /** The whole strategy, defaults filled in. */
    public StrategySpec strategy;

    /**
     * What each instance ran before the deployment touched it: what a rollback restores. Stored with each distinct
     * release once ({@link ReleasesByInstance}): every event rewrites the state, and 10,000 copies of one spec were
     * 3.5 MB of it.
     */
    @JsonSerialize(using = ReleasesByInstance.Writer.class)
    @JsonDeserialize(using = ReleasesByInstance.Reader.class)
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
    /** The analysis awaiting its verdict, asked again once if its deadline passes. */
    public AnalysisRequest pendingAnalysis;
    public int resends;
    /** The pending request was asked again under its own step after a missed deadline: the next miss counts. */
    public boolean askedAgain;
    /** Answers that arrived before the saga reached their step, applied once it does ({@link AnswerBuffer}). */
    public List<StepAnswer> earlyAnswers = new ArrayList<>();
    /** How long the current phase may take when the strategy decides it (an analysis window, a wait); else configured. */
    public Long phaseDeadlineMs;

    /** A new saga's state: what the deployment asked for, before anything is known of the fleet. */
    public static SagaState of(DeploymentRequested request) {
        SagaState state = new SagaState();
        state.deploymentId = request.deploymentId();
        state.service = request.service();
        state.environment = request.environment();
        state.version = request.version();
        state.target = request.release();
        state.strategyType = request.strategy().type();
        state.strategy = request.strategy();
        state.phase = Phase.RESOLVING;
        return state;
    }

    // Canary and blue/green (PoolSaga)
    /** The stages to walk: the plan, or the rollback once rolling back. */
    public List<Stage> plan = new ArrayList<>();
    /** The stage in progress, or due next while paused. */
    public int stageIndex;
    /** canary or green. */
    public String newPool;
    /** The stable pool before the deployment (blue), with addresses: the baseline and what a rollback returns to. */
    public Map<String, String> stablePool = new LinkedHashMap<>();
    /** The new pool's instances started so far, with addresses. */
    public Map<String, String> newPoolInstances = new LinkedHashMap<>();
    /** The new pool's current share of traffic, in percent, as confirmed by the router. */
    public int newPoolWeight;
    /** Whether the new pool ever took traffic: then a rollback must move traffic back first. */
    public boolean newPoolHadTraffic;
    /** The old stable pool is being or has been removed: from here on there is nothing to roll back to. */
    public boolean oldPoolRemoved;
    /** Asked to pause while a mechanical stage was in flight: pause when it is done. */
    public boolean pauseRequested;
    /** Asked to promote while a mechanical stage was in flight: "next" or "full", applied when it is done. */
    public String promoteRequested;
}
