package dev.stagecraft.release.domain;

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
 * The checks a deployment request must pass before the saga starts. Every gate is evaluated and a
 * refusal names every one that failed, so the requester learns everything in one answer.
 */
@ApplicationScoped
public class DeploymentGates {

    public Uni<GateEvaluation> evaluate(DeploymentRequest request) {
        Uni<ReleaseEntity> release = ReleaseEntity.find(request.service(), request.version());
        return release.chain(r -> EnvironmentEntity.<EnvironmentEntity>findById(request.environment())
                .chain(env -> {
                    requireKnown(request, r, env);
                    return promotion(request, env).chain(promotion -> concurrency(request).map(concurrency -> {
                        List<Gate> gates = List.of(
                                Gate.pass("release", "release " + r.service + " " + r.version + " exists"),
                                Gate.pass("environment", "environment " + env.name + " exists"),
                                promotion, concurrency);
                        List<Problem.Violation> failed = gates.stream().filter(g -> !g.passed())
                                .map(g -> new Problem.Violation("gate." + g.name(), g.reason())).toList();
                        if (!failed.isEmpty()) {
                            throw ApiProblem.conflict("the deployment did not pass its gates", failed);
                        }
                        return new GateEvaluation(r, env, gates);
                    }));
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
            return Uni.createFrom().item(Gate.pass("promotion", env.name + " has no promotion prerequisite"));
        }
        return DeploymentEntity.count("service = ?1 and version = ?2 and environment = ?3 and status = ?4",
                request.service(), request.version(), env.requiresSuccessIn, DeploymentStatus.SUCCEEDED)
                .map(count -> count > 0
                        ? Gate.pass("promotion", request.version() + " succeeded in " + env.requiresSuccessIn)
                        : Gate.fail("promotion", request.version() + " has not succeeded in " + env.requiresSuccessIn
                                + ", which " + env.name + " requires first"));
    }

    /** One deployment at a time per service and environment. */
    private static Uni<Gate> concurrency(DeploymentRequest request) {
        return DeploymentEntity.<DeploymentEntity>find("service = ?1 and environment = ?2 and active = true",
                request.service(), request.environment()).firstResult()
                .map(running -> running == null
                        ? Gate.pass("concurrency", "no other deployment of " + request.service() + " runs in "
                                + request.environment())
                        : Gate.fail("concurrency", "deployment " + running.id + " of " + running.service + " "
                                + running.version + " is " + running.status + " in " + request.environment()));
    }

}
