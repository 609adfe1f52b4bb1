package dev.stagecraft.release.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.stagecraft.contracts.ArtifactRef;
import dev.stagecraft.contracts.DeploymentRequested;
import dev.stagecraft.contracts.DeploymentStatusChanged;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.OperatorRequest;
import dev.stagecraft.contracts.ReleaseSpec;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.platform.api.Violations;
import dev.stagecraft.platform.messaging.PoisonRecordException;
import dev.stagecraft.platform.outbox.Outbox;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.platform.persistence.UniqueViolation;
import dev.stagecraft.release.api.DeploymentRequest;
import dev.stagecraft.release.api.DeploymentView;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.EnvironmentEntity;
import dev.stagecraft.release.persistence.ReleaseEntity;
import dev.stagecraft.release.persistence.TimelineEntry;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Deployments as users see them: requested through the gates, then followed through the saga's lifecycle events. */
@ApplicationScoped
public class Deployments {
    private static final Logger LOG = Logger.getLogger(Deployments.class);
    private static final String ACTOR = "anonymous";

    private final Outbox outbox;
    private final DeploymentGates gates;
    private final MeterRegistry metrics;

    public Deployments(Outbox outbox, DeploymentGates gates, MeterRegistry metrics) {
        this.outbox = outbox;
        this.gates = gates;
        this.metrics = metrics;
    }

    public Uni<DeploymentView> request(DeploymentRequest request) {
        Violations v = new Violations();
        if (request == null) {
            v.add("body", "a deployment needs a JSON body with service, version, environment and strategy");
            v.throwIfAny("the deployment request is not valid");
        }
        ReleaseValidation.checkServiceName(v, "service", request.service());
        v.require(request.version() != null && !request.version().isBlank(), "version", "is required");
        v.require(request.environment() != null && !request.environment().isBlank(), "environment", "is required");
        StrategySpec strategy = StrategyValidation.check(v, request.strategy());
        v.throwIfAny("the deployment request is not valid");
        StrategyValidation.requireAvailable(strategy);
        return create(request, strategy)
                .onFailure(UniqueViolation::is).transform(t -> ApiProblem.conflict(
                        "another deployment of " + request.service() + " to " + request.environment()
                                + " started at the same moment",
                        List.of(new Problem.Violation("service", "a deployment is already running"))))
                .invoke(view -> metrics.counter("stagecraft_deployments_requested_total",
                        "environment", view.environment()).increment());
    }

    @WithTransaction
    Uni<DeploymentView> create(DeploymentRequest request, StrategySpec strategy) {
        return gates.evaluate(request).chain(evaluation -> {
            Instant now = Instant.now();
            DeploymentEntity d = new DeploymentEntity();
            d.id = UUID.randomUUID().toString();
            d.service = request.service();
            d.version = request.version();
            d.environment = request.environment();
            d.strategy = JsonText.write(strategy);
            d.status = DeploymentStatus.REQUESTED;
            d.active = true;
            d.gates = JsonText.write(evaluation.gates());
            d.reasons = JsonText.write(List.of());
            d.requestedBy = ACTOR;
            d.createdAt = now;
            d.updatedAt = now;
            TimelineEntry first = TimelineEntry.of(d.id, now, d.status.name(), EventTypes.DEPLOYMENT_REQUESTED,
                    "requested by " + ACTOR + " with strategy " + strategy.type() + "; all gates passed");
            DeploymentRequested event = new DeploymentRequested(d.id, d.service, d.version, d.environment,
                    releaseSpec(evaluation.release(), evaluation.environment()), strategy, ACTOR, now);
            return d.persist()
                    .chain(() -> first.persist())
                    .chain(() -> outbox.add(Topics.DEPLOYMENTS, d.id, EventTypes.DEPLOYMENT_REQUESTED, event))
                    .map(ignored -> DeploymentView.of(d, List.of(first)));
        });
    }

    /** Release config first, then the environment's: the narrower scope wins, as with Octopus variables. */
    static ReleaseSpec releaseSpec(ReleaseEntity release, EnvironmentEntity environment) {
        Map<String, String> config = new LinkedHashMap<>(release.config);
        config.putAll(environment.config);
        return new ReleaseSpec(release.service, release.version,
                new ArtifactRef(release.artifactUri, release.artifactSha256), config);
    }

    @WithSession
    public Uni<DeploymentView> get(String id) {
        return find(id).chain(d -> TimelineEntry.<TimelineEntry>list("deploymentId = ?1 order by id", d.id)
                .map(timeline -> DeploymentView.of(d, timeline)));
    }

    @WithSession
    public Uni<List<DeploymentView>> list(String service, String environment, String status) {
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (service != null) {
            query.append(" and service = :service");
            params.put("service", service);
        }
        if (environment != null) {
            query.append(" and environment = :environment");
            params.put("environment", environment);
        }
        if (status != null) {
            DeploymentStatus parsed = parseStatus(status);
            query.append(" and status = :status");
            params.put("status", parsed);
        }
        query.append(" order by createdAt desc");
        return DeploymentEntity.<DeploymentEntity>find(query.toString(), params).page(0, 200).list()
                .map(list -> list.stream().map(d -> DeploymentView.of(d, List.of())).toList());
    }

    /** Asks the saga to roll back (restore the previous version) or abort (halt, restoring only the batch in flight). */
    @WithTransaction
    public Uni<DeploymentView> stop(String id, boolean rollback, String reason) {
        String type = rollback ? EventTypes.ROLLBACK_REQUESTED : EventTypes.ABORT_REQUESTED;
        String what = rollback ? "rollback" : "abort";
        return find(id).chain(d -> {
            if (!d.status.isStoppable()) {
                String when = d.status == DeploymentStatus.REQUESTED
                        ? "its saga has not started yet; ask again in a moment" : "it is only possible while it runs";
                throw ApiProblem.conflict("deployment " + id + " is " + d.status + "; no " + what + ": " + when,
                        List.of(new Problem.Violation("status", d.status.name())));
            }
            String why = reason == null || reason.isBlank() ? "no reason given" : reason;
            Instant now = Instant.now();
            TimelineEntry entry = TimelineEntry.of(d.id, now, d.status.name(), type,
                    what + " requested by " + ACTOR + ": " + why);
            return entry.persist()
                    .chain(() -> outbox.add(Topics.ROLLBACKS, d.id, type, new OperatorRequest(d.id, why, ACTOR, now)))
                    .chain(() -> get(id));
        });
    }

    /** Applies one lifecycle fact from the saga, if it is a legal move from where the deployment stands. */
    public Uni<Void> apply(String eventType, DeploymentStatusChanged event) {
        return DeploymentEntity.<DeploymentEntity>findById(event.deploymentId()).chain(d -> {
            if (d == null) {
                LOG.warnf("lifecycle event %s for unknown deployment %s ignored", eventType, event.deploymentId());
                return Uni.createFrom().voidItem();
            }
            DeploymentStatus next = lifecycleStatus(event);
            TimelineEntry entry = TimelineEntry.of(d.id, event.at(), next.name(), eventType, event.message());
            if (!d.status.canMoveTo(next)) {
                LOG.warnf("deployment %s: %s -> %s is not a legal move; event %s recorded only", d.id, d.status, next,
                        eventType);
                entry.message = "(not applied: " + d.status + " cannot become " + next + ") " + event.message();
                return entry.persist().replaceWithVoid();
            }
            d.status = next;
            d.updatedAt = Instant.now();
            if (next.isTerminal()) {
                d.active = false;
                d.finishedAt = event.at();
                d.reasons = JsonText.write(List.of(event.message()));
            }
            return entry.persist().replaceWithVoid();
        });
    }

    private static DeploymentStatus parseStatus(String status) {
        try {
            return DeploymentStatus.valueOf(status);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiProblem.badRequest("unknown status", List.of(new Problem.Violation("status",
                    "'" + status + "' is not one of " + java.util.Arrays.toString(DeploymentStatus.values()))));
        }
    }

    private static DeploymentStatus lifecycleStatus(DeploymentStatusChanged event) {
        try {
            return DeploymentStatus.valueOf(event.status());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new PoisonRecordException("lifecycle event for " + event.deploymentId() + " has unknown status "
                    + event.status());
        }
    }

    private static Uni<DeploymentEntity> find(String id) {
        return DeploymentEntity.<DeploymentEntity>findById(id).onItem().ifNull()
                .failWith(() -> ApiProblem.notFound("deployment " + id + " does not exist"));
    }
}
