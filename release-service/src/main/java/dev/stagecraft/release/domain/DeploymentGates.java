package dev.stagecraft.release.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.platform.api.Problem;
import dev.stagecraft.release.api.DeploymentRequest;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.EnvironmentEntity;
import dev.stagecraft.release.persistence.ReleaseEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The checks a deployment request must pass before the saga starts, in a fixed order: release,
 * environment, promotion, migrations, window, approval, concurrency. Every gate is evaluated and a
 * refusal names every one that failed, so the requester learns everything in one answer.
 */
@ApplicationScoped
public class DeploymentGates {

    /**
     * Must run in a transaction: it locks the environment row (see {@link DeploymentSlots#lock}).
     * {@code overrideReason}: an admin's break-glass (opens windows and freezes); {@code approvalOverridden}: that
     * break-glass is an undo's, which also passes the approval gate (see {@code FleetUndo}).
     */
    public Uni<GateEvaluation> evaluate(DeploymentRequest request, Instant now, String actor, String overrideReason,
            boolean approvalOverridden) {
        return ReleaseEntity.find(request.service(), request.version())
                .chain(r -> DeploymentSlots.lock(request.environment()).chain(env -> {
                    requireKnown(request, r, env);
                    return promotion(request, env).chain(promotion -> migrations(r, env).chain(migrations -> DeploymentSlots
                            .holder(request.service(), env.name).map(holder -> {
                                ConcurrencyMode mode = EnvironmentCatalog.modeFor(env, request.service());
                                Gate approval = approval(env, actor, approvalOverridden ? overrideReason : null);
                                List<Gate> gates = List.of(
                                        Gate.pass(Gate.RELEASE, "release " + r.service + " " + r.version + " exists"),
                                        Gate.pass(Gate.ENVIRONMENT, "environment " + env.name + " exists"),
                                        promotion, migrations, WindowGate.evaluate(env, now, actor, overrideReason),
                                        approval, concurrency(request, env, holder, mode, approval.pending()));
                                List<Problem.Violation> failed = gates.stream().filter(Gate::refuses)
                                        .map(g -> new Problem.Violation("gate." + g.name(), g.reason())).toList();
                                if (!failed.isEmpty()) {
                                    throw ApiProblem.conflict("the deployment did not pass its gates", failed);
                                }
                                return new GateEvaluation(r, env, gates, holder, mode);
                            })));
                }));
    }

    private static void requireKnown(DeploymentRequest request, ReleaseEntity release, EnvironmentEntity env) {
        List<Problem.Violation> unknown = new ArrayList<>();
        if (release == null) {
            unknown.add(new Problem.Violation("version", "release " + request.service() + " " + request.version()
                    + " does not exist; create it with POST /api/v1/releases"));
        }
        if (env == null) {
            unknown.add(new Problem.Violation("environment", "environment '" + request.environment()
                    + "' does not exist; see GET /api/v1/environments"));
        }
        if (!unknown.isEmpty()) {
            throw ApiProblem.unprocessable("the deployment refers to something that does not exist", unknown);
        }
    }

    /** Never straight to production: a version must have succeeded in the stage before. */
    private static Uni<Gate> promotion(DeploymentRequest request, EnvironmentEntity env) {
        if (env.requiresSuccessIn == null) {
            return Uni.createFrom().item(Gate.pass(Gate.PROMOTION, env.name + " has no promotion prerequisite"));
        }
        return DeploymentEntity.count("service = ?1 and version = ?2 and environment = ?3 and status = ?4",
                request.service(), request.version(), env.requiresSuccessIn, DeploymentStatus.SUCCEEDED)
                .map(count -> count > 0
                        ? Gate.pass(Gate.PROMOTION, request.version() + " succeeded in " + env.requiresSuccessIn)
                        : Gate.fail(Gate.PROMOTION, request.version() + " has not succeeded in " + env.requiresSuccessIn
                                + ", which " + env.name + " requires first"));
    }

    /**
     * Migrations tested first: where a stage must come before, every migration the release declares must
     * have run in a SUCCEEDED deployment there, of this release or an earlier one.
     */
    private static Uni<Gate> migrations(ReleaseEntity release, EnvironmentEntity env) {
        List<String> declared = ReleaseMigrations.of(release);
        if (env.requiresSuccessIn == null) {
            return Uni.createFrom().item(Gate.pass(Gate.MIGRATIONS, env.name
                    + " has no prerequisite stage to have tried migrations in"));
        }
        if (declared.isEmpty()) {
            return Uni.createFrom().item(Gate.pass(Gate.MIGRATIONS, release.service + " " + release.version
                    + " declares no migrations"));
        }
        String where = "a SUCCEEDED " + env.requiresSuccessIn + " deployment of " + release.service + " "
                + release.version + " or an earlier release";
        return ReleaseEntity.<ReleaseEntity>list("service = ?1 and version in (select d.version from DeploymentEntity d"
                + " where d.service = ?1 and d.environment = ?2 and d.status = ?3)", release.service,
                env.requiresSuccessIn, DeploymentStatus.SUCCEEDED).map(succeeded -> {
                    List<String> untried = ReleaseMigrations.untried(release.version, declared, succeeded.stream()
                            .map(r -> new ReleaseMigrations.Ran(r.version, ReleaseMigrations.of(r))).toList());
                    return untried.isEmpty()
                            ? Gate.pass(Gate.MIGRATIONS, "migrations " + String.join(", ", declared) + " ran in " + where)
                            : Gate.fail(Gate.MIGRATIONS, "migrations " + String.join(", ", untried)
                                    + " have not run in " + where);
                });
    }

    /**
     * Separation of duties: someone other than the requester must approve; an admin's break-glass undo passes it
     * ({@code undoOverride}, its reason), because it goes back to a release that was approved here before.
     */
    private static Gate approval(EnvironmentEntity env, String actor, String undoOverride) {
        if (env.requiresApproval && undoOverride != null) {
            return Gate.pass(Gate.APPROVAL, "not asked: break-glass undo by " + actor + ": " + undoOverride + " ("
                    + env.name + " requires approval)");
        }
        return env.requiresApproval
                ? Gate.pending(Gate.APPROVAL, "pending: " + env.name + " requires approval by someone other than "
                        + actor)
                : Gate.pass(Gate.APPROVAL, env.name + " does not require approval");
    }

    /** One deployment of a service holds an environment at a time; the mode says what a newcomer does. */
    private static Gate concurrency(DeploymentRequest request, EnvironmentEntity env, DeploymentEntity holder,
            ConcurrencyMode mode, boolean awaitingApproval) {
        if (holder == null) {
            return Gate.pass(Gate.CONCURRENCY, "no other deployment of " + request.service() + " runs in " + env.name);
        }
        String deployment = "deployment " + holder.id + " of " + holder.service + " " + holder.version;
        String running = deployment + " (" + holder.status + ")";
        return switch (mode) {
            case REJECT -> Gate.fail(Gate.CONCURRENCY, deployment + " is " + holder.status + " in " + env.name
                    + " (concurrency: reject)");
            case QUEUE -> Gate.pass(Gate.CONCURRENCY, "queued behind " + running + ": starts when it ends");
            case SUPERSEDE -> Gate.pass(Gate.CONCURRENCY, "supersedes " + running + ": it is stopped first"
                    + (awaitingApproval ? ", once this one is approved" : "") + ", then this one starts");
        };
    }
}
