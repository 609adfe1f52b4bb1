package dev.stagecraft.release.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.SmokeCheck;
import dev.stagecraft.contracts.SmokeCheckRules;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.platform.persistence.UniqueViolation;
import dev.stagecraft.release.api.DeploymentRequest;
import dev.stagecraft.release.api.DeploymentView;
import dev.stagecraft.release.flags.FlagCache;
import dev.stagecraft.release.flags.FlagScope;
import dev.stagecraft.release.flags.engine.FlagOverrideCheck;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.TimelineEntry;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A deployment request: checked, judged by the gates, then stored with what follows from it (the saga
 * asked to start, a wait for approval or for the slot, a superseded deployment stopped) in one transaction.
 */
@ApplicationScoped
public class DeploymentRequests {
    private final StrategyValidation strategies;
    private final FleetFit fleetFit;
    private final DeploymentGates gates;
    private final DeploymentSlots slots;
    private final SagaStarts sagas;
    private final LifecycleFacts facts;
    private final AuditLog audit;
    private final Deployments deployments;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final FlagCache flags;

    public DeploymentRequests(StrategyValidation strategies, FleetFit fleetFit, DeploymentGates gates,
            DeploymentSlots slots, SagaStarts sagas, LifecycleFacts facts, AuditLog audit, Deployments deployments,
            Clock clock, MeterRegistry metrics, FlagCache flags) {
        this.flags = flags;
        this.strategies = strategies;
        this.fleetFit = fleetFit;
        this.gates = gates;
        this.slots = slots;
        this.sagas = sagas;
        this.facts = facts;
        this.audit = audit;
        this.deployments = deployments;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Checks the request and its gates, then stores the deployment and what follows from it in one
     * transaction. {@code callerIsAdmin}: only an admin may break the glass of a closed window.
     */
    public Uni<DeploymentView> request(DeploymentRequest request, String actor, boolean callerIsAdmin) {
        return request(request, actor, callerIsAdmin, false);
    }

    /**
     * {@code undoBreakGlass}: the request is an admin's break-glass undo ({@code FleetUndo}), whose override passes
     * the approval gate too; it is never set from a request body.
     */
    public Uni<DeploymentView> request(DeploymentRequest request, String actor, boolean callerIsAdmin,
            boolean undoBreakGlass) {
        Violations v = new Violations();
        if (request == null) {
            v.add("body", "a deployment needs a JSON body with service, version, environment and strategy");
            v.throwIfAny("the deployment request is not valid");
        }
        ReleaseValidation.checkServiceName(v, "service", request.service());
        v.require(request.version() != null && !request.version().isBlank(), "version", "is required");
        v.require(request.environment() != null && !request.environment().isBlank(), "environment", "is required");
        StrategySpec strategy = strategies.check(v, request.strategy());
        if (strategy != null && request.service() != null && request.environment() != null) {
            FlagOverrideCheck.problems(strategy.flagOverrides(), flags.snapshot(new FlagScope(request.service(),
                    request.environment())).flags(), request.service(), request.environment()).forEach(v::add);
        }
        String overrideReason = BreakGlass.check(v, request.override(), callerIsAdmin, actor);
        ReleaseSmokeChecks.check(v, request.smokeChecks());
        // The fleet is looked up even when something else is wrong already, so that one answer names it all.
        return fleetFit.check(v, request.service(), request.environment(), strategy)
                .invoke(() -> v.throwIfAny("the deployment request is not valid"))
                .chain(() -> create(request, strategy, actor, overrideReason, undoBreakGlass && overrideReason != null))
                .onFailure(UniqueViolation::is).transform(t -> ApiProblem.conflict(
                        "another deployment of " + request.service() + " to " + request.environment()
                                + " started at the same moment",
                        List.of(new Problem.Violation("service", "a deployment is already running"))))
                .invoke(view -> metrics.counter("stagecraft_deployments_requested_total",
                        "environment", view.environment()).increment());
    }

    @WithTransaction
    Uni<DeploymentView> create(DeploymentRequest request, StrategySpec strategy, String actor, String overrideReason,
            boolean approvalOverridden) {
        Instant now = clock.instant();
        return gates.evaluate(request, now, actor, overrideReason, approvalOverridden).chain(evaluation -> {
            List<SmokeCheck> ownChecks = request.smokeChecks() == null ? List.of() : request.smokeChecks();
            Violations tooMany = new Violations();
            SmokeCheckRules.checkCombined(ReleaseSmokeChecks.of(evaluation.release()), ownChecks, "smokeChecks")
                    .forEach(p -> tooMany.add(p.field(), p.message()));
            tooMany.throwIfAny("the deployment request is not valid");
            DeploymentEntity holder = evaluation.holder();
            DeploymentEntity d = new DeploymentEntity();
            d.id = UUID.randomUUID().toString();
            d.service = request.service();
            d.version = request.version();
            d.environment = request.environment();
            d.strategy = JsonText.write(strategy);
            d.status = evaluation.awaitsApproval() ? DeploymentStatus.AWAITING_APPROVAL : DeploymentStatus.REQUESTED;
            d.active = holder == null;
            d.waitingFor = holder == null ? null : holder.id;
            d.waitingMode = holder == null ? null : evaluation.mode().wire();
            d.overrideReason = overrideReason;
            d.smokeChecks = ownChecks.isEmpty() ? null : JsonText.write(ownChecks);
            d.gates = JsonText.write(evaluation.gates());
            d.reasons = JsonText.write(List.of());
            d.requestedBy = actor;
            d.createdAt = now;
            d.updatedAt = now;
            TimelineEntry first = TimelineEntry.of(d.id, now, d.status.name(), EventTypes.DEPLOYMENT_REQUESTED,
                    firstLine(d, strategy, evaluation, overrideReason, approvalOverridden));
            boolean startsNow = holder == null && d.status == DeploymentStatus.REQUESTED;
            boolean supersedesNow = holder != null && d.status == DeploymentStatus.REQUESTED
                    && evaluation.mode() == ConcurrencyMode.SUPERSEDE;
            return d.persist()
                    .chain(() -> first.persist())
                    .chain(() -> audit.record(actor, "deployment.requested", AuditLog.DEPLOYMENT, d.id,
                            requestDetails(d, strategy, evaluation), overrideReason))
                    .chain(() -> waits(d, holder, first.message))
                    .chain(() -> startsNow ? sagas.start(d, evaluation.release(), evaluation.environment())
                            : supersedesNow ? slots.supersede(d, actor) : Uni.createFrom().voidItem())
                    .chain(() -> deployments.get(d.id));
        });
    }

    /** A deployment that does not start now says why on the lifecycle topic, so that its followers know. */
    private Uni<Void> waits(DeploymentEntity d, DeploymentEntity holder, String line) {
        if (d.status == DeploymentStatus.AWAITING_APPROVAL) {
            return facts.awaitingApproval(d, line);
        }
        return holder != null ? facts.queued(d, line) : Uni.createFrom().voidItem();
    }

    private static String firstLine(DeploymentEntity d, StrategySpec strategy, GateEvaluation evaluation,
            String overrideReason, boolean approvalOverridden) {
        List<String> clauses = new ArrayList<>();
        clauses.add("requested by " + d.requestedBy + " with strategy " + strategy.type());
        clauses.add("all gates passed" + (evaluation.awaitsApproval() ? " but approval" : ""));
        if (overrideReason != null) {
            clauses.add((approvalOverridden ? "break-glass undo (deploy window and approval overridden): "
                    : "deploy window overridden: ") + overrideReason);
        }
        if (evaluation.awaitsApproval()) {
            clauses.add("waiting for approval");
        }
        if (evaluation.holder() != null) {
            clauses.add((evaluation.mode() == ConcurrencyMode.QUEUE ? "queued behind" : "supersedes")
                    + " deployment " + evaluation.holder().id + " (" + evaluation.holder().status + ")");
        }
        return String.join("; ", clauses);
    }

    private static Map<String, Object> requestDetails(DeploymentEntity d, StrategySpec strategy, GateEvaluation evaluation) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("service", d.service);
        details.put("version", d.version);
        details.put("environment", d.environment);
        details.put("strategy", strategy);
        if (d.smokeChecks != null) {
            details.put("smokeChecks", ReleaseSmokeChecks.shown(ReleaseSmokeChecks.of(d)));
        }
        details.put("status", d.status.name());
        details.put("gates", evaluation.gates());
        details.put("waitingFor", d.waitingFor);
        return details;
    }
}
